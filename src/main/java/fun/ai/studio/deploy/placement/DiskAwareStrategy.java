package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.node.RuntimeNode;

import java.util.List;
import java.util.Optional;

/**
 * Leaves out the nodes that do not {@link NodeFit fit} (too little free disk, too many containers), then runs
 * weighted rendezvous with each node's weight scaled by its free-disk share, so fuller disks receive
 * proportionally fewer apps. A node that reports no figures counts as fitting, with full weight.
 */
class DiskAwareStrategy implements PlacementStrategy {

    private final NodeFit fit;

    DiskAwareStrategy(NodeFit fit) {
        this.fit = fit;
    }

    @Override
    public Optional<RuntimeNode> choose(String appId, List<RuntimeNode> candidates, NodeLoads loads) {
        List<RuntimeNode> fitting = candidates.stream().filter(fit::fits).toList();
        return WeightedRendezvousStrategy.highestScore(appId, fitting, DiskAwareStrategy::effectiveWeight);
    }

    private static double effectiveWeight(RuntimeNode node) {
        double freeShare = node.diskFreePct() == null ? 1.0 : node.diskFreePct() / 100.0;
        return node.weight() * freeShare;
    }
}
