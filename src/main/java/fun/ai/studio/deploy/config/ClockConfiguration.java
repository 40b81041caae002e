package fun.ai.studio.deploy.config;

import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** The one source of time, replaced by a fixed clock in tests so thresholds are exact. */
@Configuration(proxyBeanMethods = false)
@ConfigurationPropertiesScan("fun.ai.studio.deploy.config")
class ClockConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
