package fun.ai.studio.deploy.support;

import java.util.Set;
import java.util.TreeSet;

/** The exact field sets of the wire contract's JSON objects, for asserting that nothing is missing or extra. */
public final class ViewFields {

    public static final Set<String> NODE_VIEW = sorted("nodeId", "name", "agentBaseUrl", "gatewayBaseUrl",
            "enabled", "weight", "lastHeartbeatAt", "lastHeartbeatAtMs", "health", "placeable", "placementCount",
            "diskFreePct", "diskFreeBytes", "containerCount");
    public static final Set<String> PLACEMENT_VIEW = sorted("appId", "nodeId", "nodeName", "agentBaseUrl",
            "gatewayBaseUrl", "lastActiveAt", "created", "moved", "previousNodeId");
    public static final Set<String> NODE_PAGE = sorted("items", "nextAfterNodeId");
    public static final Set<String> PLACEMENTS_PAGE = sorted("nodeId", "total", "items", "nextAfterAppId");
    public static final Set<String> PLACEMENT_ITEM = sorted("appId", "nodeId", "lastActiveAt");
    public static final Set<String> DRAIN_RESULT = sorted("moved", "sourceNodeId", "targetNodeId", "remaining",
            "movedByTarget", "dryRun", "plan", "plannedByTarget");
    public static final Set<String> APP_VIEW = sorted("appId", "placement", "run", "placedNodeId", "redeployNeeded",
            "lastMove");
    public static final Set<String> PENDING_REDEPLOY = sorted("appId", "fromNodeId", "toNodeId", "movedAt", "reason");
    public static final Set<String> BACKLOG_PAGE = sorted("total", "items", "nextAfterAppId");
    public static final Set<String> APP_PLACEMENT = sorted("nodeId", "nodeName", "lastActiveAt");
    public static final Set<String> APP_RUN_VIEW = sorted("appId", "nodeId", "lastJobId", "lastJobStatus",
            "lastError", "lastDeployedAt", "lastActiveAt");
    public static final Set<String> HEALTH = sorted("service", "status", "timestamp");

    private ViewFields() {
    }

    private static Set<String> sorted(String... fields) {
        return new TreeSet<>(Set.of(fields));
    }
}
