package fun.ai.studio.deploy.changes;

/**
 * One entry of the change log as consumers read it. {@code revision} increases strictly in the order the
 * changes committed; {@code at} is when the change was made, in epoch milliseconds.
 */
public record ChangeEntry(long revision, long at, String kind, Long nodeId, String appId, Long fromNodeId,
                          Long toNodeId, String reason) {

    public static ChangeEntry of(long revision, Change change) {
        return new ChangeEntry(revision, change.atMs(), change.kind().wire(), change.nodeId(), change.appId(),
                change.fromNodeId(), change.toNodeId(), change.reason());
    }
}
