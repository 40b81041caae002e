package fun.ai.studio.deploy.changes;

/**
 * A change as a store records it, in the transaction that makes it; the change log gives it its revision.
 *
 * @param reason for {@link ChangeKind#PLACEMENT_MOVED}: {@code reassign}, {@code drain} or {@code failover}; for
 *               {@link ChangeKind#NODE_UNFIT}: {@code disk} or {@code containers}
 */
public record Change(ChangeKind kind, long atMs, Long nodeId, String appId, Long fromNodeId, Long toNodeId,
                     String reason) {

    public static Change ofNode(ChangeKind kind, long atMs, long nodeId) {
        return new Change(kind, atMs, nodeId, null, null, null, null);
    }

    public static Change unfit(long atMs, long nodeId, String reason) {
        return new Change(ChangeKind.NODE_UNFIT, atMs, nodeId, null, null, null, reason);
    }

    public static Change placed(long atMs, String appId, long nodeId) {
        return new Change(ChangeKind.PLACEMENT_CREATED, atMs, null, appId, null, nodeId, null);
    }

    public static Change moved(long atMs, String appId, long fromNodeId, long toNodeId, String reason) {
        return new Change(ChangeKind.PLACEMENT_MOVED, atMs, null, appId, fromNodeId, toNodeId, reason);
    }

    public static Change reported(long atMs, String appId, Long nodeId) {
        return new Change(ChangeKind.APP_REPORTED, atMs, nodeId, appId, null, null, null);
    }
}
