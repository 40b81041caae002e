package fun.ai.studio.deploy.placement;

/** What the Runner gets for an app: where it runs and whether this call created the placement. */
public record PlacementView(
        String appId,
        long nodeId,
        String nodeName,
        String agentBaseUrl,
        String gatewayBaseUrl,
        long lastActiveAt,
        boolean created) {
}
