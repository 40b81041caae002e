package fun.ai.studio.deploy.web.api;

import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.shared.HttpUrl;
import fun.ai.studio.deploy.shared.Identifiers;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** A runtime-agent heartbeat as sent on the wire; unknown fields are ignored. */
record HeartbeatRequest(
        @NotNull(message = "is required") @Pattern(regexp = Identifiers.NODE_NAME_REGEX, message = "must be " + Identifiers.NODE_NAME_RULE)
        String nodeName,
        @NotNull(message = "is required") @HttpUrl String agentBaseUrl,
        @NotNull(message = "is required") @HttpUrl String gatewayBaseUrl,
        @DecimalMin(value = "0", message = "must be between 0 and 100") @DecimalMax(value = "100", message = "must be between 0 and 100")
        Double diskFreePct,
        @Min(value = 0, message = "must be 0 or more") Long diskFreeBytes,
        @Min(value = 0, message = "must be 0 or more") Integer containerCount) {

    Heartbeat toHeartbeat() {
        return new Heartbeat(nodeName, agentBaseUrl, gatewayBaseUrl, diskFreePct, diskFreeBytes, containerCount);
    }
}
