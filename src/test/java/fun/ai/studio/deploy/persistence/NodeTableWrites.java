package fun.ai.studio.deploy.persistence;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Sees every {@code UPDATE} of {@code fun_ai_deploy_runtime_node} that reaches the database, with the rows it
 * changed and the thread that sent it, by wrapping the context's DataSource. Added to a context before it is
 * refreshed, it wraps the pool before the application's reconnecting wrapper could, which is then left out: these
 * tests have no outage. It can also hold the heartbeat flusher's updates at a door until the test opens it, so a
 * test decides when a flush lands instead of guessing with time.
 */
final class NodeTableWrites implements BeanPostProcessor {

    /** The thread {@code CoalescingRuntimeNodeRepository} flushes on. */
    static final String FLUSHER = "heartbeat-flush";

    /** One update as it reached the database. */
    record Write(String sql, int rows, String thread) {

        boolean byFlusher() {
            return thread.equals(FLUSHER);
        }
    }

    private final List<Write> writes = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch door;
    private volatile boolean flushHeld;

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean instanceof DataSource dataSource ? new Watched(dataSource) : bean;
    }

    /** The updates seen since the last {@link #clear()}, in the order they completed. */
    List<Write> writes() {
        return List.copyOf(writes);
    }

    void clear() {
        writes.clear();
    }

    /** From now on the flusher's updates wait until {@link #open()}; everyone else's pass. */
    void hold() {
        door = new CountDownLatch(1);
    }

    /** True while a flusher's update waits at the door. */
    boolean flushHeld() {
        return flushHeld;
    }

    void open() {
        CountDownLatch held = door;
        door = null;
        if (held != null) {
            held.countDown();
        }
    }

    private void atTheDoor() throws InterruptedException {
        CountDownLatch held = door;
        if (held != null && Thread.currentThread().getName().equals(FLUSHER)) {
            flushHeld = true;
            try {
                // Bounded, so a test that forgets to open cannot hang the build.
                held.await(60, TimeUnit.SECONDS);
            } finally {
                flushHeld = false;
            }
        }
    }

    private final class Watched extends DelegatingDataSource {

        Watched(DataSource pool) {
            super(pool);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return watch(super.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return watch(super.getConnection(username, password));
        }
    }

    private Connection watch(Connection connection) {
        return proxy(Connection.class, (proxy, method, args) -> {
            Object result = invoke(connection, method, args);
            return method.getName().equals("prepareStatement") && isNodeUpdate((String) args[0])
                    ? watch((PreparedStatement) result, (String) args[0]) : result;
        });
    }

    private PreparedStatement watch(PreparedStatement statement, String sql) {
        return proxy(PreparedStatement.class, (proxy, method, args) -> {
            if (!method.getName().equals("executeUpdate") || args != null) {
                return invoke(statement, method, args);
            }
            atTheDoor();
            int rows = (int) invoke(statement, method, null);
            writes.add(new Write(sql, rows, Thread.currentThread().getName()));
            return rows;
        });
    }

    private static boolean isNodeUpdate(String sql) {
        return sql.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT).startsWith("UPDATE FUN_AI_DEPLOY_RUNTIME_NODE ");
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(NodeTableWrites.class.getClassLoader(), new Class<?>[]{type}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
