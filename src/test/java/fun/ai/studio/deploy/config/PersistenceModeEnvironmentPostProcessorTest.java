package fun.ai.studio.deploy.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PersistenceModeEnvironmentPostProcessorTest {

    private static final String READINESS = "management.endpoint.health.group.readiness.include";
    private static final String EXCLUDE = "spring.autoconfigure.exclude";

    private final PersistenceModeEnvironmentPostProcessor processor = new PersistenceModeEnvironmentPostProcessor();

    @Test
    void withPersistenceOffTheDatabaseStaysOutOfAutoConfigurationAndReadiness() {
        StandardEnvironment environment = environment(Map.of(EXCLUDE, "com.example.Other"));

        processor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty(EXCLUDE))
                .contains("com.example.Other", "DataSourceAutoConfiguration", "FlywayAutoConfiguration");
        assertThat(environment.getProperty(READINESS)).isNull();
    }

    @Test
    void withPersistenceOnReadinessFollowsTheDatabase() {
        StandardEnvironment environment = environment(Map.of(PersistenceModeEnvironmentPostProcessor.PERSISTENCE_ENABLED, "true"));

        processor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty(READINESS)).isEqualTo("readinessState,db");
        assertThat(environment.getProperty(EXCLUDE)).isNull();
    }

    @Test
    void withPersistenceOnAReadinessGroupTheOperatorConfiguredWins() {
        StandardEnvironment environment = environment(Map.of(PersistenceModeEnvironmentPostProcessor.PERSISTENCE_ENABLED,
                "true", READINESS, "readinessState"));

        processor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty(READINESS)).isEqualTo("readinessState");
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }
}
