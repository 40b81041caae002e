package fun.ai.studio.deploy.persistence.jpa;

import com.zaxxer.hikari.HikariDataSource;
import fun.ai.studio.deploy.config.RuntimeProperties;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseTimeoutsTest {

    private static RuntimeProperties.Persistence settings(Duration connect, Duration socket, Duration query,
                                                          Duration maxWait) {
        return new RuntimeProperties.Persistence(true, 500, ZoneId.of("UTC"), connect, socket, query, maxWait,
                Duration.ofMillis(500));
    }

    @Test
    void mysqlGetsTheDriverTimeoutsAndThePoolWaitsWhatMaxWaitLeavesAfterTheCallsOwnConnection() {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl("jdbc:mysql://db.internal:3306/fun_ai_deploy?socketTimeout=15000");

            DatabaseTimeouts.apply(settings(Duration.ofMillis(800), Duration.ofSeconds(4), Duration.ofSeconds(2),
                    Duration.ofMillis(2500)), pool);

            assertThat(pool.getConnectionTimeout()).as("2.5 s less twice 800 ms").isEqualTo(900);
            assertThat(pool.getValidationTimeout()).isEqualTo(900);
            // Connector/J lets these driver properties win over the same parameters in the URL.
            assertThat(pool.getDataSourceProperties()).containsEntry("connectTimeout", "800")
                    .containsEntry("socketTimeout", "4000");
        }
    }

    @Test
    void otherDriversGetThePoolWaitButNoDriverPropertiesTheyWouldNotKnow() {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl("jdbc:h2:mem:bounds");

            DatabaseTimeouts.apply(settings(Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(2),
                    Duration.ofSeconds(2)), pool);

            assertThat(pool.getConnectionTimeout()).isEqualTo(1000);
            assertThat(pool.getDataSourceProperties()).isEmpty();
        }
    }

    @Test
    void timeoutsInWholeSecondsRoundUpAndNeverReachZero() {
        assertThat(DatabaseTimeouts.querySeconds(settings(Duration.ofSeconds(1), Duration.ofSeconds(3),
                Duration.ofMillis(1500), Duration.ofSeconds(2)))).isEqualTo(2);
        assertThat(DatabaseTimeouts.answerSeconds(settings(Duration.ofSeconds(1), Duration.ofSeconds(3),
                Duration.ofSeconds(2), Duration.ofSeconds(2)))).isEqualTo(3);
    }
}
