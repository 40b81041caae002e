package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.node.RuntimeNode;

import java.util.List;
import java.util.Optional;

/**
 * Leaves out nodes whose reported free disk is below the minimum or whose container count has reached the
 * cap, then runs weighted rendezvous with each node's weight scaled by its free-disk share, so fuller disks
 * receive proportionally fewer apps. A node that reports no figures counts as fitting, with full weight.
 */
public class DiskAwareStrategy implements PlacementStrategy {

    private final double diskFreeMinPct;
    private final int maxContainersPerNode;

    public DiskAwareStrategy(double diskFreeMinPct, int maxContainersPerNode) {
        this.diskFreeMinPct = diskFreeMinPct;
        this.maxContainersPerNode = maxContainersPerNode;
    }

    @Override
    public Optional<RuntimeNode> choose(String appId, List<RuntimeNode> candidates, NodeLoads loads) {
        List<RuntimeNode> fitting = candidates.stream().filter(this::fits).toList();
        return WeightedRendezvousStrategy.highestScore(appId, fitting, DiskAwareStrategy::effectiveWeight);
    }

    boolean fits(RuntimeNode node) {
        if (node.diskFreePct() != null && node.diskFreePct() < diskFreeMinPct) {
            return false;
        }
        return maxContainersPerNode <= 0 || node.containerCount() == null || node.containerCount() < maxContainersPerNode;
    }

    private static double effectiveWeight(RuntimeNode node) {
        double freeShare = node.diskFreePct() == null ? 1.0 : node.diskFreePct() / 100.0;
        return node.weight() * freeShare;
    }
}
