package fun.ai.studio.deploy.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import java.time.Instant;

/** Replaces the application's system clock with a {@link MutableClock}; import it into a {@code @SpringBootTest}. */
@TestConfiguration(proxyBeanMethods = false)
public class TestClockConfiguration {

    /** The example time of the wire contract, so views read like the documentation. */
    public static final Instant START = Instant.parse("2026-11-28T03:12:31.123Z");

    @Bean
    @Primary
    MutableClock testClock() {
        return new MutableClock(START);
    }
}
