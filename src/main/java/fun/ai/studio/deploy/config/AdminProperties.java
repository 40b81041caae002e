package fun.ai.studio.deploy.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * {@code deploy.admin}: the operators' API under {@code /admin/**}.
 *
 * @param enabled    false answers 404 on the whole group
 * @param token      the {@code X-Admin-Token} secret; blank or {@code CHANGE_ME...} is replaced at start-up
 * @param allowedIps addresses and CIDR ranges allowed to call; empty allows any
 */
@ConfigurationProperties("deploy.admin")
public record AdminProperties(
        @DefaultValue("true") boolean enabled,
        String token,
        @DefaultValue List<String> allowedIps) {
}
