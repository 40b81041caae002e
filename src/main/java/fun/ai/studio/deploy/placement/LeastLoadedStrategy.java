package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.node.RuntimeNode;

import java.util.List;
import java.util.Optional;

/**
 * The node with the fewest placements per unit of weight; ties go to the highest rendezvous score, so equal
 * loads still spread apps deterministically. Weight 0 is never chosen.
 */
class LeastLoadedStrategy implements PlacementStrategy {

    @Override
    public Optional<RuntimeNode> choose(String appId, List<RuntimeNode> candidates, NodeLoads loads) {
        RuntimeNode best = null;
        double bestLoad = Double.POSITIVE_INFINITY;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (RuntimeNode node : candidates) {
            if (node.weight() <= 0) {
                continue;
            }
            double load = (double) loads.of(node.id()) / node.weight();
            double score = RendezvousHash.score(appId, node.name(), node.weight());
            if (load < bestLoad || (load == bestLoad && score > bestScore)) {
                best = node;
                bestLoad = load;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }
}
