package fun.ai.studio.deploy.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code deploy.overload}: how much write work (heartbeats, {@code ensure}, app reports) one instance takes on at
 * once. Beyond it a call is answered 503 with {@code Retry-After} at once instead of queueing until its caller
 * gives up; health, probes and the admin API are not limited.
 *
 * @param maxConcurrent write calls in progress at once; 0 switches the limit off. The default leaves most of
 *                      Tomcat's 200 request threads to everything else when writes pile up on a slow database
 * @param queueWait     how long a call beyond the limit may wait for a place before it is refused
 */
@Validated
@ConfigurationProperties("deploy.overload")
public record OverloadProperties(@DefaultValue("128") @Min(0) int maxConcurrent,
                                 @DefaultValue("0ms") @NotNull @DurationMax(seconds = 1) Duration queueWait) {
}
