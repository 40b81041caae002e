package fun.ai.studio.deploy.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * {@code deploy.security}: network trust shared by every endpoint group.
 *
 * @param trustedProxies CIDR ranges of reverse proxies whose {@code X-Forwarded-For} is believed; empty trusts none
 */
@ConfigurationProperties("deploy.security")
public record SecurityProperties(@DefaultValue List<String> trustedProxies) {
}
