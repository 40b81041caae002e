package fun.ai.studio.deploy.placement;

import java.util.Collection;
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

    /**
     * Points the app at the node, creating the placement when absent. Last writer wins. A move puts the app in
     * the redeploy backlog, as every move of {@link #moveApps} and {@link #moveFirstApps} does, in the same
     * transaction.
     */
    void assign(String appId, long nodeId, long nowMs);

    /**
     * Moves each listed app to its target node if, and only if, it is still placed on the source node, and
     * returns how many moved to each target. Concurrent calls never move one app twice: an app counts as
     * moved only by the call that changed it away from the source. Each move is recorded in the change log
     * with the reason, in the same transaction.
     */
    Map<Long, Integer> moveApps(long sourceNodeId, Map<String, Long> targetByApp, long nowMs, MoveReason reason);

    /**
     * Moves up to {@code limit} of the source's placements, the first in appId order, to the target and returns
     * how many moved. As with {@link #moveApps}, concurrent calls never move one app twice, and an app counts as
     * moved only by the call that changed it away from the source.
     */
    int moveFirstApps(long sourceNodeId, long targetNodeId, int limit, long nowMs, MoveReason reason);

    long countByNode(long nodeId);

    /** Placement counts of every node that has at least one placement. */
    Map<Long, Long> countAllByNode();

    /** The first {@code limit} appIds placed on the node, in appId (code point) order. */
    List<String> firstAppIds(long nodeId, int limit);

    /** Placement counts of the given nodes that have at least one placement; reads no other node's placements. */
    Map<Long, Long> countByNodes(Collection<Long> nodeIds);

    /** A page of the node's placements ordered by appId (code point order), skipping {@code offset}. */
    List<Placement> findByNode(long nodeId, long offset, int limit);

    /** A page of the node's placements ordered by appId, starting after {@code afterAppId} (keyset paging). */
    List<Placement> findByNodeAfter(long nodeId, String afterAppId, int limit);

    /** The app's entry in the redeploy backlog, if it is there. */
    Optional<PendingRedeploy> findPendingRedeploy(String appId);

    /** A page of the redeploy backlog in appId (code point) order, after {@code afterAppId} (null: from the start). */
    List<PendingRedeploy> findPendingRedeploys(String afterAppId, int limit);

    long countPendingRedeploys();

    /**
     * The app was deployed on the node: it leaves the redeploy backlog if the node is the one it moved to, and stays
     * otherwise (a report of a deployment on the old node that arrives after the move).
     */
    void redeployed(String appId, long nodeId);
}
