package fun.ai.studio.deploy.support;

import fun.ai.studio.deploy.node.PlacementCounts;
import fun.ai.studio.deploy.placement.PlacementRepository;

import java.util.Collection;
import java.util.Map;

/** Placement counts read from the store on every call, for registry tests that do not test the placement module. */
public record StoredPlacementCounts(PlacementRepository placements) implements PlacementCounts {

    @Override
    public long count(long nodeId) {
        return placements.countByNode(nodeId);
    }

    @Override
    public Map<Long, Long> countAll() {
        return placements.countAllByNode();
    }

    @Override
    public Map<Long, Long> countByNodes(Collection<Long> nodeIds) {
        return placements.countByNodes(nodeIds);
    }

    @Override
    public long heartbeatCount(long nodeId) {
        return placements.countByNode(nodeId);
    }
}
