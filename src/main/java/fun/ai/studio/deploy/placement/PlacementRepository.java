package fun.ai.studio.deploy.placement;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Stores the {@code appId -> nodeId} placements, one per app. */
public interface PlacementRepository {

    /** The outcome of {@link #placeIfAbsent}: the stored placement and whether this call stored it. */
    record PlaceResult(Placement placement, boolean created) {
    }

    Optional<Placement> find(String appId);

    /**
     * Stores the placement unless the app already has one, and returns the placement that won.
     * Concurrent calls for one appId, on one instance or several sharing the store, store one row and all
     * return it; exactly one of them reports {@code created}.
     */
    PlaceResult placeIfAbsent(String appId, long nodeId, long nowMs);

    /** Refreshes {@code lastActiveAt} of an existing placement; does nothing when there is none. */
    void touch(String appId, long nowMs);

    /** Points the app at the node, creating the placement when absent. Last writer wins. */
    void assign(String appId, long nodeId, long nowMs);

    /**
     * Moves up to {@code limit} placements of the source node, in appId order, to the target node and
     * returns how many moved. Concurrent calls never move one app twice: an app counts as moved only by
     * the call that changed it from the source.
     */
    int moveBatch(long sourceNodeId, long targetNodeId, int limit, long nowMs);

    long countByNode(long nodeId);

    /** Placement counts of every node that has at least one placement. */
    Map<Long, Long> countAllByNode();

    /** A page of the node's placements ordered by appId (code point order). */
    List<Placement> findByNode(long nodeId, long offset, int limit);
}
