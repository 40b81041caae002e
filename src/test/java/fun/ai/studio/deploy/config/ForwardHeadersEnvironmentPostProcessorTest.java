package fun.ai.studio.deploy.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class ForwardHeadersEnvironmentPostProcessorTest {

    private static final String STRATEGY = ForwardHeadersEnvironmentPostProcessor.STRATEGY;

    /** Logs at once instead of deferring, so the test sees the line. */
    private final ForwardHeadersEnvironmentPostProcessor processor = new ForwardHeadersEnvironmentPostProcessor(Supplier::get);

    @Test
    void unsetTheStrategyBecomesNoneSilently(CapturedOutput output) {
        StandardEnvironment environment = new StandardEnvironment();

        processor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty(STRATEGY)).isEqualTo("none");
        assertThat(output.getAll()).doesNotContain(STRATEGY);
    }

    @Test
    void noneConfiguredStaysNoneSilently(CapturedOutput output) {
        StandardEnvironment environment = environment("NONE");

        processor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty(STRATEGY)).isEqualTo("none");
        assertThat(output.getAll()).doesNotContain(STRATEGY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "framework", " NATIVE "})
    void anOperatorsStrategyIsOverriddenAndReported(String configured, CapturedOutput output) {
        StandardEnvironment environment = environment(configured);

        processor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty(STRATEGY)).isEqualTo("none");
        assertThat(output.getAll()).contains(STRATEGY + "=" + configured.trim() + " is ignored: this service reads "
                + "forwarded addresses only from the proxies in deploy.security.trusted-proxies");
    }

    private static StandardEnvironment environment(String strategy) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("operator", Map.of(STRATEGY, strategy)));
        return environment;
    }
}
