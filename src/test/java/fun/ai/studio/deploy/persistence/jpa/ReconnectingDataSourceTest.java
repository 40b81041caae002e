package fun.ai.studio.deploy.persistence.jpa;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A pool that times out because every connection is at work is load, not an outage: the call fails without a
 * connection of its own and the breaker stays closed. A pool that cannot connect is an outage: the breaker opens
 * and the next call is refused at once.
 */
class ReconnectingDataSourceTest {

    private final HikariDataSource pool = new HikariDataSource();
    private ReconnectingDataSource dataSource;

    @AfterEach
    void close() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    private void start(String url) {
        pool.setJdbcUrl(url);
        pool.setUsername("sa");
        pool.setMaximumPoolSize(1);
        pool.setConnectionTimeout(250);
        pool.setInitializationFailTimeout(-1);
        dataSource = new ReconnectingDataSource(pool, pool, 1, Duration.ofHours(1), Clock.systemUTC(),
                new SimpleMeterRegistry());
    }

    @Test
    void aBusyPoolFailsTheCallWithoutAConnectionOfItsOwnAndLeavesTheBreakerClosed() throws Exception {
        start("jdbc:h2:mem:busy_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        // The pool started and holding its one connection, so the call below takes that one, not one of its own.
        pool.getConnection().close();
        try (Connection held = dataSource.getConnection()) {
            SQLTransientConnectionException busy = catchThrowableOfType(SQLTransientConnectionException.class,
                    dataSource::getConnection);

            assertThat(busy.getMessage()).contains("Connection is not available");
            assertThat(busy.getSuppressed()).as("no connection of its own was tried").isEmpty();
            assertThat(dataSource.breaker().isOpen()).isFalse();
            assertThat(held.isValid(1)).isTrue();
        }
        try (Connection again = dataSource.getConnection()) {
            assertThat(again.isValid(1)).isTrue();
        }
    }

    @Test
    void aPoolThatCannotConnectOpensTheBreakerAndTheNextCallIsRefusedAtOnce() {
        // A server that is not there: port 9 (discard) on loopback refuses the connection.
        start("jdbc:h2:tcp://127.0.0.1:9/nothing");

        SQLTransientConnectionException unreachable = catchThrowableOfType(SQLTransientConnectionException.class,
                dataSource::getConnection);
        SQLTransientConnectionException refused = catchThrowableOfType(SQLTransientConnectionException.class,
                dataSource::getConnection);

        assertThat(unreachable.getSuppressed()).as("a connection of its own was tried").hasSize(1);
        assertThat(dataSource.breaker().isOpen()).isTrue();
        assertThat(refused.getMessage()).as("the breaker's refusal, not the pool's timeout")
                .contains("refused without waiting");
        assertThat(refused.getSuppressed()).isEmpty();
    }
}
