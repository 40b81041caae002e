package fun.ai.studio.deploy.placement;

/**
 * An app of the redeploy backlog: its placement moved and the Runner has not yet reported it SUCCEEDED on the node
 * it moved to. {@code fromNodeId} is where it was placed before its first move since it last succeeded, so later
 * moves before a redeploy keep it; {@code toNodeId}, {@code movedAt} (epoch milliseconds) and {@code reason}
 * ({@link MoveReason#wire()}) are those of its latest move.
 */
public record PendingRedeploy(String appId, long fromNodeId, long toNodeId, long movedAt, String reason) {

    /** This entry after a further move of the same app, before any redeploy. */
    public PendingRedeploy movedAgain(PendingRedeploy later) {
        return new PendingRedeploy(appId, fromNodeId, later.toNodeId, later.movedAt, later.reason);
    }
}
