package fun.ai.studio.deploy.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * {@code deploy.internal-api}: the Runner's API under {@code /internal/placements/**} and {@code /internal/apps/**}.
 *
 * @param enabled      false answers 404 on the whole group
 * @param sharedSecret the {@code X-Deploy-Secret} secret; blank or {@code CHANGE_ME...} is replaced at start-up
 * @param allowedIps   addresses and CIDR ranges allowed to call; empty allows any
 */
@ConfigurationProperties("deploy.internal-api")
public record InternalApiProperties(
        @DefaultValue("true") boolean enabled,
        String sharedSecret,
        @DefaultValue List<String> allowedIps) {
}
