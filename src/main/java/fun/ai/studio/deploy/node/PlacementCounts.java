package fun.ai.studio.deploy.node;

import java.util.Collection;
import java.util.Map;

/**
 * How many apps are placed on nodes, for node views. The placement module provides it, so the registry knows
 * nothing of how placements are stored.
 */
public interface PlacementCounts {

    /** The node's count as stored now. */
    long count(long nodeId);

    /** Counts of every node that has placements. */
    Map<Long, Long> countAll();

    /** Counts of these nodes; a node without placements may be absent. */
    Map<Long, Long> countByNodes(Collection<Long> nodeIds);

    /**
     * The count a heartbeat is answered with: agents do not read it, and a heartbeat must be answered even while
     * the database is slow or gone, so a node counted before is answered at once, possibly a few seconds old.
     */
    long heartbeatCount(long nodeId);
}
