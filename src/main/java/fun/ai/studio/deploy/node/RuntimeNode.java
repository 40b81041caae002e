package fun.ai.studio.deploy.node;

import java.time.Instant;

/**
 * A runtime node as stored: identity, where to reach it, whether operators let it take apps, and
 * what its agent last reported. Times are UTC with millisecond precision.
 */
public record RuntimeNode(
        long id,
        String name,
        String agentBaseUrl,
        String gatewayBaseUrl,
        boolean enabled,
        int weight,
        Instant lastHeartbeatAt,
        Double diskFreePct,
        Long diskFreeBytes,
        Integer containerCount) {

    public static final int DEFAULT_WEIGHT = 100;

    public boolean hasUrls() {
        return agentBaseUrl != null && !agentBaseUrl.isBlank()
                && gatewayBaseUrl != null && !gatewayBaseUrl.isBlank();
    }
}
