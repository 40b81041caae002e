package fun.ai.studio.deploy.persistence.schema;

import fun.ai.studio.deploy.config.RuntimeProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** With persistence on, Flyway migrates through {@link SchemaMigration}, which also adopts the earlier service's tables. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "deploy.runtime.persistence.enabled", havingValue = "true")
class SchemaConfiguration {

    @Bean
    FlywayMigrationStrategy schemaMigration(RuntimeProperties runtime, Clock clock) {
        return new SchemaMigration(runtime.persistence().legacyTimeZone(), clock);
    }
}
