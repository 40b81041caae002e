package fun.ai.studio.deploy.persistence.jpa;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The connection pool behind the {@link DatabaseBreaker}, plus one direct connection attempt when the pool gives
 * up without being busy. While the breaker is open a call is refused at once. After an outage HikariCP retries
 * opening connections with a backoff that grows to 5 s, so a pool can stay empty for seconds after the database
 * is back; a request that timed out on such a pool then opens a connection of its own (closed, not pooled, when
 * the request is done), so service resumes within one pool wait of the database's return. The pool waits
 * {@code max-wait} less twice the connect timeout, and the attempt takes at most that twice (to connect, and to
 * be greeted), so no call waits longer than {@code max-wait} for a connection; until the pool has a connection
 * again, later calls open their own at once, no more than the pool's size at a time. When such an attempt fails,
 * the database is unreachable and the breaker opens. A pool whose every connection is at work has timed out for load,
 * not for an outage: the call fails with no connection of its own.
 */
class ReconnectingDataSource extends DelegatingDataSource implements AutoCloseable {

    private final HikariDataSource pool;
    private final DatabaseBreaker breaker;
    private final Semaphore ownConnections;
    private volatile boolean refilling;

    /**
     * @param pooled        the DataSource bean: Boot's pool, or a decoration of it
     * @param pool          the pool itself, for the driver settings of a connection outside it
     * @param answerSeconds how long the breaker's probes wait for the database to answer on a connection
     */
    ReconnectingDataSource(DataSource pooled, HikariDataSource pool, int answerSeconds, Duration probeInterval,
                           Clock clock, MeterRegistry meters) {
        super(pooled);
        this.pool = pool;
        this.ownConnections = new Semaphore(pool.getMaximumPoolSize());
        this.breaker = new DatabaseBreaker(() -> probeDirect(answerSeconds), () -> probePooled(answerSeconds),
                probeInterval, clock, meters);
    }

    DatabaseBreaker breaker() {
        return breaker;
    }

    @Override
    public void close() {
        breaker.destroy();
        pool.close();
    }

    @Override
    public Connection getConnection() throws SQLException {
        breaker.checkClosed();
        if (refilling) {
            Connection direct = whileThePoolRefills();
            if (direct != null) {
                return direct;
            }
        }
        try {
            Connection pooled = obtainTargetDataSource().getConnection();
            breaker.reached();
            return pooled;
        } catch (SQLTransientConnectionException poolTimedOut) {
            if (saturated()) {
                // Every pooled connection is at work: load, not an outage. A connection of its own would only
                // add to the database's load; the caller is answered 503 and the breaker stays closed.
                throw poolTimedOut;
            }
            Connection direct = ownConnectionOrUnreachable(poolTimedOut);
            if (direct == null) {
                throw poolTimedOut;
            }
            refilling = true;
            return direct;
        }
    }

    /**
     * After a call had to open a connection of its own, the pool is still empty for a while (its reconnect
     * backoff): calls then open their own at once instead of each waiting out the pool first, as long as no
     * more than the pool's size of them are open. Null once the pool has a connection again, or when that many
     * are open: the call waits on the pool.
     */
    private Connection whileThePoolRefills() throws SQLException {
        HikariPoolMXBean state = pool.getHikariPoolMXBean();
        if (state == null || state.getTotalConnections() > 0) {
            refilling = false;
            return null;
        }
        return ownConnectionOrUnreachable(null);
    }

    /**
     * {@link #ownConnection()}; when it cannot connect, the database is unreachable: the breaker opens and the
     * failure is thrown, added to {@code context} (and {@code context} thrown) when there is one.
     */
    private Connection ownConnectionOrUnreachable(SQLException context) throws SQLException {
        try {
            Connection direct = ownConnection();
            if (direct != null) {
                breaker.reached();
            }
            return direct;
        } catch (SQLException stillDown) {
            refilling = false;
            breaker.unreachable(stillDown);
            if (context == null) {
                throw stillDown;
            }
            context.addSuppressed(stillDown);
            throw context;
        }
    }

    /**
     * A connection of the call's own, counted until it is closed so that no more than the pool's size are open;
     * null when that many are.
     */
    private Connection ownConnection() throws SQLException {
        if (!ownConnections.tryAcquire()) {
            return null;
        }
        Connection direct;
        try {
            direct = openDirect();
        } catch (SQLException | RuntimeException e) {
            ownConnections.release();
            throw e;
        }
        AtomicBoolean open = new AtomicBoolean(true);
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && open.compareAndSet(true, false)) {
                        ownConnections.release();
                    }
                    try {
                        return method.invoke(direct, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private boolean saturated() {
        HikariPoolMXBean state = pool.getHikariPoolMXBean();
        return state != null && state.getActiveConnections() >= pool.getMaximumPoolSize();
    }

    /**
     * A connection outside the pool, with the pool's driver settings. Its greeting is awaited no longer than the
     * connect timeout (a partition accepts the connection and then says nothing), then statements get the
     * socket timeout again.
     */
    private Connection openDirect() throws SQLException {
        Properties settings = new Properties();
        settings.putAll(pool.getDataSourceProperties());
        String socketTimeout = settings.getProperty(DatabaseTimeouts.SOCKET_TIMEOUT);
        String connectTimeout = settings.getProperty(DatabaseTimeouts.CONNECT_TIMEOUT);
        if (socketTimeout != null && connectTimeout != null) {
            settings.setProperty(DatabaseTimeouts.SOCKET_TIMEOUT, connectTimeout);
        }
        if (pool.getUsername() != null) {
            settings.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            settings.setProperty("password", pool.getPassword());
        }
        Connection direct = DriverManager.getConnection(pool.getJdbcUrl(), settings);
        if (socketTimeout != null && connectTimeout != null) {
            direct.setNetworkTimeout(Runnable::run, Integer.parseInt(socketTimeout));
        }
        direct.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        return direct;
    }

    /** The breaker's probe while open: a connection of its own that answers (not counted: one thread probes). */
    private void probeDirect(int answerSeconds) throws SQLException {
        try (Connection direct = openDirect()) {
            requireAnswer(direct, answerSeconds);
        }
    }

    /** The breaker's check while closed and idle: a pooled connection that answers. */
    private void probePooled(int answerSeconds) throws SQLException {
        try (Connection pooled = getConnection()) {
            requireAnswer(pooled, answerSeconds);
        }
    }

    private static void requireAnswer(Connection connection, int answerSeconds) throws SQLException {
        if (!connection.isValid(answerSeconds)) {
            throw new SQLTransientConnectionException("the database did not answer within " + answerSeconds + " s");
        }
    }
}
