package fun.ai.studio.deploy.config;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code deploy.metrics}: how much the service's own metrics may grow with the fleet.
 *
 * @param maxNodeSeries per-node series are published for at most this many nodes (the lowest ids); the rest are
 *                      summed into one series labelled {@code _other}
 */
@Validated
@ConfigurationProperties("deploy.metrics")
public record MetricsProperties(@DefaultValue("1000") @Min(0) int maxNodeSeries) {
}
