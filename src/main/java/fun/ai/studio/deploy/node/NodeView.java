package fun.ai.studio.deploy.node;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The node as the wire contract shows it: stored fields plus judged health and the placement count. */
public record NodeView(
        long nodeId,
        String name,
        String agentBaseUrl,
        String gatewayBaseUrl,
        boolean enabled,
        int weight,
        String lastHeartbeatAt,
        Long lastHeartbeatAtMs,
        NodeHealth health,
        boolean placeable,
        long placementCount,
        Double diskFreePct,
        Long diskFreeBytes,
        Integer containerCount) {

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public static NodeView of(RuntimeNode node, NodeHealth health, boolean placeable, long placementCount) {
        Instant last = node.lastHeartbeatAt();
        return new NodeView(node.id(), node.name(), node.agentBaseUrl(), node.gatewayBaseUrl(), node.enabled(),
                node.weight(), last == null ? null : ISO_MILLIS.format(last), last == null ? null : last.toEpochMilli(),
                health, placeable, placementCount, node.diskFreePct(), node.diskFreeBytes(), node.containerCount());
    }
}
