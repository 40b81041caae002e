package fun.ai.studio.deploy.apprun;

import fun.ai.studio.deploy.placement.PendingRedeploy;

/**
 * Everything known about one app: its placement and its last run, either of which may be null. {@code placedNodeId}
 * is where the app is placed now, beside the run's {@code nodeId}, where it last reported from; {@code
 * redeployNeeded} says its placement moved since its last SUCCEEDED report on its node, and {@code lastMove} which
 * move that was (null when none is pending).
 */
public record AppStatusView(String appId, PlacementInfo placement, AppRun run, Long placedNodeId,
                            boolean redeployNeeded, PendingRedeploy lastMove) {

    public record PlacementInfo(long nodeId, String nodeName, long lastActiveAt) {
    }
}
