package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.node.RuntimeNode;

import java.util.List;
import java.util.Optional;

/** Chooses the node for an app's first placement or re-placement; existing placements never consult it. */
interface PlacementStrategy {

    /**
     * @param appId      the app to place
     * @param candidates placeable nodes ordered by id, never empty
     * @param loads      placement counts per node, read only by strategies that need them
     * @return one of {@code candidates}, or empty when none of them may take the app
     */
    Optional<RuntimeNode> choose(String appId, List<RuntimeNode> candidates, NodeLoads loads);

    /**
     * True when {@link #choose} reads only the candidates' count and one candidate by position; such a strategy is
     * given a list that reads that one node only, so a first placement costs the same in a fleet of any size.
     */
    default boolean picksByPosition() {
        return false;
    }
}
