package fun.ai.studio.deploy.persistence.jpa;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code db} in the health endpoint and in readiness, in place of Boot's query against the database: the
 * {@link DatabaseBreaker}'s state, so a probe is answered at once, even while the database swallows packets.
 */
final class DatabaseHealthIndicator implements HealthIndicator {

    private final DatabaseBreaker breaker;

    DatabaseHealthIndicator(DatabaseBreaker breaker) {
        this.breaker = breaker;
    }

    @Override
    public Health health() {
        DatabaseBreaker.Outage outage = breaker.outage();
        if (outage == null) {
            return Health.up().withDetail("breaker", "closed").build();
        }
        return Health.down().withDetail("breaker", "open").withDetail("unreachableSince", outage.since().toString())
                .withDetail("cause", outage.cause()).build();
    }
}
