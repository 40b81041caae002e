package fun.ai.studio.deploy.node;

import java.util.Objects;

/**
 * What a heartbeat did to the store: the node as the heartbeat left it, whether the heartbeat created it, and the
 * URLs the node had just before (null when created).
 */
public record RecordedHeartbeat(RuntimeNode node, boolean created, String previousAgentBaseUrl,
                                String previousGatewayBaseUrl) {

    public static RecordedHeartbeat created(RuntimeNode node) {
        return new RecordedHeartbeat(node, true, null, null);
    }

    public static RecordedHeartbeat updated(RuntimeNode node, String previousAgentBaseUrl, String previousGatewayBaseUrl) {
        return new RecordedHeartbeat(node, false, previousAgentBaseUrl, previousGatewayBaseUrl);
    }

    /** True when an existing node now has another agent or gateway URL than before this heartbeat. */
    public boolean urlsChanged() {
        return !created && (!Objects.equals(previousAgentBaseUrl, node.agentBaseUrl())
                || !Objects.equals(previousGatewayBaseUrl, node.gatewayBaseUrl()));
    }
}
