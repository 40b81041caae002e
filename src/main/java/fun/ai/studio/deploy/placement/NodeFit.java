package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.config.RuntimeProperties;
import fun.ai.studio.deploy.config.RuntimeProperties.PlacementStrategyName;
import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.node.RuntimeNode;

/**
 * Whether a node's reported figures let it take new apps: not when it reports less free disk than
 * {@code diskFreeMinPct}, nor when it reports {@code maxContainersPerNode} containers or more (0 = no cap); a figure
 * it does not report keeps it out of nothing. {@link DiskAwareStrategy} places only on fitting nodes, and the node
 * store writes a heartbeat that {@link #flips} the fit before answering it, while other figures may wait for the
 * next flush: so placement on any instance never sees a changed fit late (docs/operations.md, "Heartbeat
 * coalescing").
 */
public record NodeFit(double diskFreeMinPct, int maxContainersPerNode) {

    /** Every node fits: the strategies other than {@code disk-aware} never look at the figures. */
    public static final NodeFit EVERY_NODE = new NodeFit(Double.NEGATIVE_INFINITY, 0);

    /** {@link #misfit}: less free disk than {@code diskFreeMinPct}. */
    public static final String DISK = "disk";
    /** {@link #misfit}: {@code maxContainersPerNode} containers or more. */
    public static final String CONTAINERS = "containers";

    /** The fit the configured strategy places by. */
    public static NodeFit of(RuntimeProperties.PlacementSettings placement) {
        return placement.strategy() == PlacementStrategyName.DISK_AWARE
                ? new NodeFit(placement.diskFreeMinPct(), placement.maxContainersPerNode()) : EVERY_NODE;
    }

    public boolean fits(RuntimeNode node) {
        return misfit(node) == null;
    }

    /** Why the node does not fit: {@code disk}, else {@code containers}; null when it fits. */
    public String misfit(RuntimeNode node) {
        return misfit(node.diskFreePct(), node.containerCount());
    }

    /** True when the heartbeat's figures would turn the node from fitting to not fitting, or back. */
    public boolean flips(RuntimeNode node, Heartbeat heartbeat) {
        return fits(node) != (misfit(heartbeat.diskFreePct(), heartbeat.containerCount()) == null);
    }

    private String misfit(Double diskFreePct, Integer containerCount) {
        if (diskFreePct != null && diskFreePct < diskFreeMinPct) {
            return DISK;
        }
        boolean full = maxContainersPerNode > 0 && containerCount != null && containerCount >= maxContainersPerNode;
        return full ? CONTAINERS : null;
    }
}
