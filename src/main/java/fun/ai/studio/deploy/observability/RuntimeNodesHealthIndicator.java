package fun.ai.studio.deploy.observability;

import fun.ai.studio.deploy.node.NodeHealth;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code runtimeNodes} in the health endpoint: counts of nodes by health and enabled. Always UP: an empty
 * or stale fleet is not this service's fault, and must not take it out of a load balancer.
 */
@Component("runtimeNodes")
class RuntimeNodesHealthIndicator extends AbstractHealthIndicator {

    private final FleetSnapshot fleet;

    RuntimeNodesHealthIndicator(FleetSnapshot fleet) {
        this.fleet = fleet;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        FleetSnapshot.Counts counts = fleet.current();
        Map<String, Object> enabled = new LinkedHashMap<>();
        Map<String, Object> disabled = new LinkedHashMap<>();
        for (NodeHealth health : NodeHealth.values()) {
            enabled.put(health.name().toLowerCase(Locale.ROOT), counts.nodes(health, true));
            disabled.put(health.name().toLowerCase(Locale.ROOT), counts.nodes(health, false));
        }
        builder.up().withDetail("total", counts.nodes()).withDetail("enabled", enabled)
                .withDetail("disabled", disabled).withDetail("placements", counts.placements());
    }
}
