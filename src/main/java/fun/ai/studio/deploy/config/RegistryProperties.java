package fun.ai.studio.deploy.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.util.List;

/**
 * {@code deploy.runtime-node-registry}: the heartbeat endpoint and how node health is judged.
 *
 * @param enabled               false answers 404 on heartbeats and reports every node's health as UNKNOWN
 * @param sharedSecret          the {@code X-RT-Node-Token} secret; blank or {@code CHANGE_ME...} is replaced at start-up
 * @param allowedIps            addresses and CIDR ranges allowed to send heartbeats; empty allows any
 * @param heartbeatStaleSeconds a node whose last heartbeat is this old or older is STALE
 */
@Validated
@ConfigurationProperties("deploy.runtime-node-registry")
public record RegistryProperties(
        @DefaultValue("true") boolean enabled,
        String sharedSecret,
        @DefaultValue List<String> allowedIps,
        @DefaultValue("60") @Min(1) @Max(86_400) int heartbeatStaleSeconds) {
}
