package fun.ai.studio.deploy.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code deploy.changes}: how much of the change log is kept. Entries older than {@code retention}, and all but the
 * newest {@code maxEntries}, are removed in the background; a watcher that falls further behind is answered 410
 * and lists again.
 *
 * @param retention     how long an entry is kept
 * @param maxEntries    the most entries kept in the database
 * @param memoryEntries in memory (persistence off): the size of the ring that holds the newest entries
 * @param maxWaiting    watches waiting at once on this instance; each holds its connection's buffers (about 90 KB
 *                      of heap), so beyond it a watch is answered 503 and its caller retries a second later
 */
@Validated
@ConfigurationProperties("deploy.changes")
public record ChangesProperties(@DefaultValue("24h") @NotNull @DurationMin(minutes = 1) Duration retention,
                                @DefaultValue("5000000") @Min(1_000) @Max(100_000_000) long maxEntries,
                                @DefaultValue("100000") @Min(1_000) @Max(10_000_000) int memoryEntries,
                                @DefaultValue("2000") @Min(1) @Max(100_000) int maxWaiting) {
}
