package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.node.RuntimeNode;

import java.util.List;
import java.util.Optional;

/**
 * The contract's rule: index {@code Math.floorMod(appId.hashCode(), N)} into the placeable nodes ordered by
 * id. Matches the platform's existing placements; ignores weight, load and disk.
 */
class HashPlacementStrategy implements PlacementStrategy {

    @Override
    public Optional<RuntimeNode> choose(String appId, List<RuntimeNode> candidates, NodeLoads loads) {
        return Optional.of(candidates.get(Math.floorMod(appId.hashCode(), candidates.size())));
    }

    @Override
    public boolean picksByPosition() {
        return true;
    }
}
