package fun.ai.studio.deploy.placement;

/**
 * What the Runner gets for an app: where it runs, whether this call created the placement, and whether this
 * call moved it off an unusable node (then {@code previousNodeId} names that node).
 */
public record PlacementView(
        String appId,
        long nodeId,
        String nodeName,
        String agentBaseUrl,
        String gatewayBaseUrl,
        long lastActiveAt,
        boolean created,
        boolean moved,
        Long previousNodeId) {
}
