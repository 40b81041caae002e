package fun.ai.studio.deploy.persistence.jpa;

import com.zaxxer.hikari.HikariDataSource;
import fun.ai.studio.deploy.config.RuntimeProperties;

import java.time.Duration;

/**
 * {@code deploy.runtime.persistence}'s bounds applied to Boot's Hikari pool: the pool waits {@code max-wait} less
 * twice {@code connect-timeout} (the rest is for the call's own connection, see {@link ReconnectingDataSource}), and
 * MySQL Connector/J gets its connect and socket timeouts as driver properties. Other drivers (H2 in tests) are
 * given no driver properties they would not know.
 */
final class DatabaseTimeouts {

    /** MySQL Connector/J's names for its timeouts, in milliseconds. */
    static final String CONNECT_TIMEOUT = "connectTimeout";
    static final String SOCKET_TIMEOUT = "socketTimeout";

    private DatabaseTimeouts() {
    }

    static void apply(RuntimeProperties.Persistence settings, HikariDataSource pool) {
        long poolWaitMillis = settings.poolWait().toMillis();
        pool.setConnectionTimeout(poolWaitMillis);
        pool.setValidationTimeout(Math.min(poolWaitMillis, settings.socketTimeout().toMillis()));
        String url = pool.getJdbcUrl();
        if (url != null && (url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:"))) {
            pool.addDataSourceProperty(CONNECT_TIMEOUT, String.valueOf(settings.connectTimeout().toMillis()));
            pool.addDataSourceProperty(SOCKET_TIMEOUT, String.valueOf(settings.socketTimeout().toMillis()));
        }
    }

    /** How long the breaker's probes wait for an answer on an open connection: the socket timeout, in seconds. */
    static int answerSeconds(RuntimeProperties.Persistence settings) {
        return wholeSeconds(settings.socketTimeout());
    }

    /** Transactions time out in whole seconds; a query timeout between two is rounded up. */
    static int querySeconds(RuntimeProperties.Persistence settings) {
        return wholeSeconds(settings.queryTimeout());
    }

    private static int wholeSeconds(Duration duration) {
        return (int) Math.max(1, (duration.toMillis() + 999) / 1000);
    }
}
