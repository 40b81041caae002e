package fun.ai.studio.deploy.node;

import fun.ai.studio.deploy.config.RegistryProperties;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Judges a node's health by the age of its last heartbeat, against the injected clock: HEALTHY while
 * younger than {@code heartbeat-stale-seconds}, STALE from that age on or when it never reported.
 */
@Component
public class NodeHealthPolicy {

    private final Clock clock;
    private final boolean registryEnabled;
    private final Duration staleAfter;

    public NodeHealthPolicy(Clock clock, RegistryProperties registry) {
        this.clock = clock;
        this.registryEnabled = registry.enabled();
        this.staleAfter = Duration.ofSeconds(registry.heartbeatStaleSeconds());
    }

    public NodeHealth health(RuntimeNode node) {
        return health(node, clock.instant());
    }

    public NodeHealth health(RuntimeNode node, Instant now) {
        if (!registryEnabled) {
            return NodeHealth.UNKNOWN;
        }
        Instant last = node.lastHeartbeatAt();
        if (last == null) {
            return NodeHealth.STALE;
        }
        return Duration.between(last, now).compareTo(staleAfter) < 0 ? NodeHealth.HEALTHY : NodeHealth.STALE;
    }

    /** Only placeable nodes receive new placements: enabled, HEALTHY, and reachable through both URLs. */
    public boolean isPlaceable(RuntimeNode node, Instant now) {
        return node.enabled() && node.hasUrls() && health(node, now) == NodeHealth.HEALTHY;
    }

    public Duration staleAfter() {
        return staleAfter;
    }
}
