package fun.ai.studio.deploy.persistence;

import fun.ai.studio.deploy.persistence.jpa.JpaPersistenceConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The persistence layer as the application wires it, and nothing else: Boot's auto-configuration with the
 * application's {@code application.properties} (so Flyway migrates and Hibernate validates for real), the JPA
 * configuration switched on, no web server, and a fixed clock.
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(JpaPersistenceConfiguration.class)
public class JpaTestApplication {

    /** What the context's clock says; the app-run repository stamps rows with it. */
    public static final Instant CLOCK_NOW = Instant.parse("2026-11-28T03:12:31.456Z");

    @Bean
    Clock clock() {
        return Clock.fixed(CLOCK_NOW, ZoneOffset.UTC);
    }

    static final String FLUSH_PROPERTY = "deploy.runtime.persistence.heartbeat-flush-millis";

    /**
     * Starts a context with persistence on and the given properties overriding application.properties. Unless
     * the properties say otherwise, heartbeats are written one by one: these tests exercise the store itself,
     * and {@code CoalescingRuntimeNodeRepositoryTest} the coalescing in front of it.
     */
    public static ConfigurableApplicationContext start(Map<String, Object> properties) {
        return start(properties, context -> {
        });
    }

    /** As {@link #start(Map)}, with {@code prepare} applied to the context before it is refreshed. */
    public static ConfigurableApplicationContext start(Map<String, Object> properties,
                                                       ApplicationContextInitializer<ConfigurableApplicationContext> prepare) {
        List<String> args = new ArrayList<>();
        args.add("--deploy.runtime.persistence.enabled=true");
        if (!properties.containsKey(FLUSH_PROPERTY)) {
            args.add("--" + FLUSH_PROPERTY + "=0");
        }
        properties.forEach((key, value) -> args.add("--" + key + "=" + value));
        return new SpringApplicationBuilder(JpaTestApplication.class)
                .web(WebApplicationType.NONE)
                .initializers(prepare)
                .run(args.toArray(String[]::new));
    }
}
