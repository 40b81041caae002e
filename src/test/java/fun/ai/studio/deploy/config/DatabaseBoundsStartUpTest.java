package fun.ai.studio.deploy.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy.runtime.persistence}'s bounds on database calls are checked when the service starts, in either
 * persistence mode: a timeout too short to work, or a {@code max-wait} that leaves the pool no time of its own,
 * stops start-up with a report naming the property.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseBoundsStartUpTest {

    private static final SettingsStartUp PERSISTENCE = new SettingsStartUp("deploy.runtime.persistence.");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "socket-timeout=1s                 | socketTimeout                | must be longer than or equal to 2 seconds",
            "query-timeout=500ms               | queryTimeout                 | must be longer than or equal to 1 second",
            "connect-timeout=10ms              | connectTimeout               | must be longer than or equal to 100 millis",
            "probe-interval=0s                 | probeInterval                | must be longer than or equal to 100 millis",
            "max-wait=1200ms                   | maxWaitAboveConnectTimeout   | max-wait must exceed twice connect-timeout by at least 250 ms",
            "connect-timeout=1s                | maxWaitAboveConnectTimeout   | max-wait must exceed twice connect-timeout by at least 250 ms"})
    void aBoundThatCannotWorkStopsStartUpNamingThePropertyAndTheReason(String setting, String reportedName,
                                                                        String reason, CapturedOutput output) {
        assertThat(PERSISTENCE.refusedNaming(output, setting, reportedName)).contains(reason);
    }

    @Test
    void theDefaultsAreTheDocumentedOnesAndLeaveThePoolOneSecond() {
        try (ConfigurableApplicationContext context = PERSISTENCE.start()) {
            RuntimeProperties.Persistence persistence = context.getBean(RuntimeProperties.class).persistence();
            assertThat(persistence.connectTimeout()).isEqualTo(Duration.ofMillis(500));
            assertThat(persistence.socketTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(persistence.queryTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(persistence.maxWait()).isEqualTo(Duration.ofSeconds(2));
            assertThat(persistence.probeInterval()).isEqualTo(Duration.ofMillis(500));
            assertThat(persistence.poolWait()).isEqualTo(Duration.ofSeconds(1));
        }
    }
}
