package fun.ai.studio.deploy.node;

/** What one runtime-agent heartbeat reports; the metrics are null when the agent does not send them. */
public record Heartbeat(
        String nodeName,
        String agentBaseUrl,
        String gatewayBaseUrl,
        Double diskFreePct,
        Long diskFreeBytes,
        Integer containerCount) {
}
