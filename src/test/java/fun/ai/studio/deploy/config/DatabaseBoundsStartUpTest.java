package fun.ai.studio.deploy.config;

import fun.ai.studio.deploy.DeployApplication;
import fun.ai.studio.deploy.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code deploy.runtime.persistence}'s bounds on database calls are checked when the service starts, in either
 * persistence mode: a timeout too short to work, or a {@code max-wait} that leaves the pool no time of its own,
 * stops start-up with a report naming the property.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseBoundsStartUpTest {

    private static final String PREFIX = "deploy.runtime.persistence.";

    private static ConfigurableApplicationContext start(String... settings) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
                "--deploy.runtime.persistence.enabled=false",
                "--" + TestTokens.ADMIN_PROPERTY, "--" + TestTokens.NODE_PROPERTY, "--" + TestTokens.INTERNAL_PROPERTY));
        for (String setting : settings) {
            args.add("--" + PREFIX + setting);
        }
        return new SpringApplicationBuilder(DeployApplication.class).run(args.toArray(String[]::new));
    }

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
        assertThatThrownBy(() -> start(setting)).isInstanceOf(RuntimeException.class);

        String all = output.getAll();
        assertThat(all).contains("APPLICATION FAILED TO START");
        String report = all.substring(all.lastIndexOf("APPLICATION FAILED TO START"));
        assertThat(report).as("failure report in%n%s", all)
                .contains("Property: " + PREFIX + reportedName + System.lineSeparator())
                .contains(reason);
        assertThat(all).doesNotContain("Tomcat started on port");
    }

    @Test
    void theDefaultsAreTheDocumentedOnesAndLeaveThePoolOneSecond() {
        try (ConfigurableApplicationContext context = start()) {
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
