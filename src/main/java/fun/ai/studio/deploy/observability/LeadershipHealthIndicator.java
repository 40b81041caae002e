package fun.ai.studio.deploy.observability;

import fun.ai.studio.deploy.shared.Leadership;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * {@code leadership} in the health endpoint ({@code leader}: whether this instance runs the failover
 * reconciler) and the gauge {@code deploy_leader} (1 or 0). Always UP: following is as healthy as leading.
 */
@Component("leadership")
class LeadershipHealthIndicator extends AbstractHealthIndicator {

    private final Leadership leadership;

    LeadershipHealthIndicator(Leadership leadership, MeterRegistry meters) {
        this.leadership = leadership;
        Gauge.builder("deploy.leader", leadership, lead -> lead.isLeader() ? 1 : 0)
                .description("1 while this instance leads (runs the failover reconciler and records node health flips), else 0").register(meters);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.up().withDetail("leader", leadership.isLeader());
    }
}
