package fun.ai.studio.deploy.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code deploy.runtime}: where state lives.
 *
 * @param persistence {@code enabled=false} keeps state in memory; {@code true} stores it in the configured database
 */
@ConfigurationProperties("deploy.runtime")
public record RuntimeProperties(@DefaultValue Persistence persistence) {

    public record Persistence(@DefaultValue("false") boolean enabled) {
    }
}
