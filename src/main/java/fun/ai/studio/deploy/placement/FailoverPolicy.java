package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.config.RegistryProperties;
import fun.ai.studio.deploy.config.RuntimeProperties;
import fun.ai.studio.deploy.node.NodeHealth;
import fun.ai.studio.deploy.node.RuntimeNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Decides whether an app on an unusable node may be moved automatically. Under {@code failover=auto} it may
 * when its node is disabled, or has been stale for longer than the grace period, unless the service itself
 * started less than one grace period ago (nodes may simply not have reported yet) or more than the allowed
 * share of enabled nodes is stale (then the fault is more likely the control plane's than the fleet's).
 */
class FailoverPolicy {

    /**
     * Either permission to move the app, or the reason it stays, worded for the 409 answer; no reason under
     * manual failover, where staying is simply the rule.
     */
    public record Decision(boolean move, String reason) {

        static Decision allow(String reason) {
            return new Decision(true, reason);
        }

        static Decision hold(String reason) {
            return new Decision(false, reason);
        }
    }

    private final boolean automatic;
    private final Duration grace;
    private final double maxStaleFraction;
    private final Instant startedAt;

    FailoverPolicy(RuntimeProperties runtime, RegistryProperties registry, Clock clock) {
        RuntimeProperties.PlacementSettings placement = runtime.placement();
        this.automatic = placement.failover() == RuntimeProperties.FailoverMode.AUTO;
        this.grace = Duration.ofSeconds(placement.failoverGraceSeconds() != null
                ? placement.failoverGraceSeconds() : 2L * registry.heartbeatStaleSeconds());
        this.maxStaleFraction = placement.failoverMaxStaleFraction();
        this.startedAt = clock.instant();
    }

    /**
     * @param node   the unusable node the app is placed on
     * @param nodes  every node, for the fleet-wide guard
     * @param health how to judge a node's health now
     */
    public Decision decide(RuntimeNode node, List<RuntimeNode> nodes, Function<RuntimeNode, NodeHealth> health,
                           Instant now) {
        if (!automatic) {
            return Decision.hold(null);
        }
        String trigger;
        if (!node.enabled()) {
            trigger = "disabled";
        } else if (health.apply(node) == NodeHealth.STALE && staleLongerThanGrace(node, now)) {
            trigger = node.lastHeartbeatAt() == null ? "never heard from"
                    : "stale for " + Duration.between(node.lastHeartbeatAt(), now).toSeconds() + " s";
        } else {
            return Decision.hold("automatic failover waits until the node's last heartbeat is more than "
                    + grace.toSeconds() + " s old");
        }
        if (now.isBefore(startedAt.plus(grace))) {
            return Decision.hold("automatic failover is held for the first " + grace.toSeconds()
                    + " s after this service started, while nodes report in");
        }
        List<RuntimeNode> enabled = nodes.stream().filter(RuntimeNode::enabled).toList();
        long stale = enabled.stream().filter(n -> health.apply(n) == NodeHealth.STALE).count();
        if (!enabled.isEmpty() && (double) stale / enabled.size() > maxStaleFraction) {
            return Decision.hold("automatic failover is paused: " + stale + " of " + enabled.size()
                    + " enabled nodes are stale (more than " + maxStaleFraction
                    + " of them), which points at the control plane's network rather than the nodes");
        }
        return Decision.allow(trigger);
    }

    private boolean staleLongerThanGrace(RuntimeNode node, Instant now) {
        return node.lastHeartbeatAt() == null || Duration.between(node.lastHeartbeatAt(), now).compareTo(grace) > 0;
    }
}
