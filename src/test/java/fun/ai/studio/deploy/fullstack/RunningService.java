package fun.ai.studio.deploy.fullstack;

import fun.ai.studio.deploy.DeployApplication;
import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.TestTokens;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The whole application, started as in production on a random port with persistence on, and a client for it.
 * Closing it stops the application the way a shutdown does; a new one on the same database is a restart.
 */
final class RunningService implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final DeployClient client;

    private RunningService(ConfigurableApplicationContext context) {
        this.context = context;
        String port = context.getEnvironment().getProperty("local.server.port");
        this.client = new DeployClient("http://127.0.0.1:" + port, TestTokens.ADMIN, TestTokens.NODE, TestTokens.INTERNAL);
    }

    static RunningService start(Map<String, Object> datasource) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--deploy.runtime.persistence.enabled=true",
                "--" + TestTokens.ADMIN_PROPERTY, "--" + TestTokens.NODE_PROPERTY, "--" + TestTokens.INTERNAL_PROPERTY));
        datasource.forEach((key, value) -> args.add("--" + key + "=" + value));
        return new RunningService(new SpringApplicationBuilder(DeployApplication.class)
                .listeners(new LoggingSetUpTurns(true), new LoggingSetUpTurns(false)).run(args.toArray(String[]::new)));
    }

    private static final ReentrantLock LOGGING_SET_UP = new ReentrantLock();

    /**
     * Boot sets logging up for each application in the one logger context a JVM has; two set-ups at once (two
     * instances started together in one test) can find it half reset. The one that takes its turn before Boot's
     * logging listener waits for the other's set-up to finish; the rest of the two starts runs side by side.
     */
    private static final class LoggingSetUpTurns implements SmartApplicationListener {

        private final boolean take;

        LoggingSetUpTurns(boolean take) {
            this.take = take;
        }

        @Override
        public boolean supportsEventType(Class<? extends ApplicationEvent> type) {
            return take ? ApplicationStartingEvent.class.isAssignableFrom(type)
                    : ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type)
                    || ApplicationFailedEvent.class.isAssignableFrom(type);
        }

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            if (take) {
                LOGGING_SET_UP.lock();
            } else if (LOGGING_SET_UP.isHeldByCurrentThread()) {
                LOGGING_SET_UP.unlock();
            }
        }

        @Override
        public int getOrder() {
            return take ? Ordered.HIGHEST_PRECEDENCE : LoggingApplicationListener.DEFAULT_ORDER + 1;
        }
    }

    DeployClient client() {
        return client;
    }

    int port() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** A bean of the running application, for what HTTP does not show (readiness group members, meters). */
    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
