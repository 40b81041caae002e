package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.node.RuntimeNode;

import java.util.List;

/** Chooses the node for an app's first placement. */
public interface PlacementStrategy {

    /**
     * @param appId     the app to place
     * @param candidates placeable nodes ordered by id, never empty
     * @return one of {@code candidates}
     */
    RuntimeNode choose(String appId, List<RuntimeNode> candidates);
}
