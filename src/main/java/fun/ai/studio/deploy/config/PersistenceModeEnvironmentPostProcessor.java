package fun.ai.studio.deploy.config;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * With {@code deploy.runtime.persistence.enabled} off (the default), keeps Boot from starting a
 * DataSource, JPA or Flyway at all, so the in-memory mode needs no database driver configuration
 * and opens no connection. Exclusions the operator configured are kept. With it on, readiness
 * also follows the database (unless the operator configured the readiness group).
 */
public class PersistenceModeEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String PERSISTENCE_ENABLED = "deploy.runtime.persistence.enabled";

    private static final String EXCLUDE = "spring.autoconfigure.exclude";

    private static final String READINESS_INCLUDE = "management.endpoint.health.group.readiness.include";

    private static final Set<String> DATABASE_AUTO_CONFIGURATIONS = Set.of(
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getProperty(PERSISTENCE_ENABLED, Boolean.class, false)) {
            // Only in this mode does the "db" contributor exist; naming it otherwise would fail start-up.
            // Added last, so any readiness group the operator configured wins.
            environment.getPropertySources().addLast(new MapPropertySource("deployPersistenceReadiness",
                    Map.of(READINESS_INCLUDE, "readinessState,db")));
            return;
        }
        Set<String> excluded = new LinkedHashSet<>();
        String configured = environment.getProperty(EXCLUDE);
        if (configured != null && !configured.isBlank()) {
            for (String name : configured.split(",")) {
                excluded.add(name.trim());
            }
        }
        excluded.addAll(DATABASE_AUTO_CONFIGURATIONS);
        environment.getPropertySources().addFirst(
                new MapPropertySource("deployPersistenceMode", Map.of(EXCLUDE, String.join(",", excluded))));
    }
}
