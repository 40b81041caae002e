package fun.ai.studio.deploy.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Instant;
import java.util.List;

/**
 * {@code deploy.runtime-node-registry}: the heartbeat endpoint, who may speak for a node, which nodes it admits,
 * and how node health is judged.
 *
 * @param enabled                         false answers 404 on heartbeats and reports every node's health as UNKNOWN
 * @param sharedSecret                    the {@code X-RT-Node-Token} secret, or under {@code per-node} the key each
 *                                        node's token is derived from; blank or {@code CHANGE_ME...} is replaced at
 *                                        start-up
 * @param allowedIps                      addresses and CIDR ranges allowed to send heartbeats; empty allows any
 * @param heartbeatStaleSeconds           a node whose last heartbeat is this old or older is STALE
 * @param nodeAuth                        {@code shared}: every agent sends the shared secret; {@code per-node}: each
 *                                        sends its own token, HMAC-SHA256 of its name keyed by the shared secret
 * @param previousSharedSecret            the shared secret before the last rotation, accepted (as itself or as the key
 *                                        of node tokens) until {@code previousSharedSecretValidUntil}; blank = none
 * @param previousSharedSecretValidUntil  the instant the previous secret stops being accepted; required with it
 * @param registration                    {@code open}: a heartbeat with a new name registers an enabled node;
 *                                        {@code approval}: it registers a disabled one that an operator enables
 * @param maxNodes                        the registry refuses to create nodes beyond this many
 */
@Validated
@ConfigurationProperties("deploy.runtime-node-registry")
public record RegistryProperties(
        @DefaultValue("true") boolean enabled,
        String sharedSecret,
        @DefaultValue List<String> allowedIps,
        @DefaultValue("60") @Min(1) @Max(86_400) int heartbeatStaleSeconds,
        @DefaultValue("shared") @NotNull NodeAuth nodeAuth,
        String previousSharedSecret,
        Instant previousSharedSecretValidUntil,
        @DefaultValue("open") @NotNull Registration registration,
        @DefaultValue("10000") @Min(1) int maxNodes) {

    public enum NodeAuth { SHARED, PER_NODE }

    public enum Registration { OPEN, APPROVAL }
}
