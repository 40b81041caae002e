package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.node.RuntimeNode;
import org.springframework.stereotype.Component;

import java.util.List;

/** The contract's rule: index {@code Math.floorMod(appId.hashCode(), N)} into the placeable nodes ordered by id. */
@Component
public class HashPlacementStrategy implements PlacementStrategy {

    @Override
    public RuntimeNode choose(String appId, List<RuntimeNode> candidates) {
        return candidates.get(Math.floorMod(appId.hashCode(), candidates.size()));
    }
}
