package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.node.RuntimeNode;

import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Weighted rendezvous hashing over the candidates: each app goes to the node with the highest score for it.
 * Shares converge to {@code weight / sum(weights)}; weight 0 is never chosen; when a node leaves, only the
 * apps that had chosen it choose again.
 */
class WeightedRendezvousStrategy implements PlacementStrategy {

    @Override
    public Optional<RuntimeNode> choose(String appId, List<RuntimeNode> candidates, NodeLoads loads) {
        return highestScore(appId, candidates, RuntimeNode::weight);
    }

    /** The candidate with the highest rendezvous score under the given effective weight; empty if all weigh 0. */
    static Optional<RuntimeNode> highestScore(String appId, List<RuntimeNode> candidates,
                                              ToDoubleFunction<RuntimeNode> weight) {
        RuntimeNode best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (RuntimeNode node : candidates) {
            double score = RendezvousHash.score(appId, node.name(), weight.applyAsDouble(node));
            // Candidates come ordered by id, so an exact tie keeps the lower id.
            if (score > bestScore) {
                best = node;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }
}
