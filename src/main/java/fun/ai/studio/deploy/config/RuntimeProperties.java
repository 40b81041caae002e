package fun.ai.studio.deploy.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.time.ZoneId;

/**
 * {@code deploy.runtime}: where state lives and how apps are placed.
 *
 * @param persistence {@code enabled=false} keeps state in memory; {@code true} stores it in the configured database
 * @param placement   the strategy for first placements and the failover policy
 */
@Validated
@ConfigurationProperties("deploy.runtime")
public record RuntimeProperties(@Valid @DefaultValue Persistence persistence,
                                @Valid @DefaultValue PlacementSettings placement) {

    /**
     * @param enabled              state in the database ({@code true}) or in memory
     * @param heartbeatFlushMillis with the database: heartbeats of known nodes are held in memory and written
     *                             together at this interval (at most 1000 ms; docs/operations.md, "Heartbeat
     *                             coalescing"); 0 writes each one at once
     * @param legacyTimeZone       the zone of the local times in the earlier deploy service's tables, converted to
     *                             UTC once when this service takes those tables over (docs/upgrade.md)
     * @param connectTimeout       the longest wait for the database to accept a new connection, and again for its
     *                             greeting on a connection a call opens of its own
     * @param socketTimeout        the longest wait for any answer from the database on an open connection: a
     *                             partition that swallows packets ends a call after this long
     * @param queryTimeout         the longest a transaction's statements may run before the database is asked to
     *                             stop them (whole seconds)
     * @param maxWait              the longest a call waits for a connection in all: the pool's wait plus one
     *                             connection of its own (twice {@code connectTimeout}) when the pool has none
     * @param probeInterval        while the database is unreachable, how often a background probe tries it; calls
     *                             that need it are refused at once until the probe gets through
     */
    public record Persistence(@DefaultValue("false") boolean enabled,
                              @DefaultValue("500") @Min(0) @Max(1000) long heartbeatFlushMillis,
                              @DefaultValue("Asia/Shanghai") @NotNull ZoneId legacyTimeZone,
                              @DefaultValue("500ms") @NotNull @DurationMin(millis = 100) Duration connectTimeout,
                              @DefaultValue("3s") @NotNull @DurationMin(seconds = 2) Duration socketTimeout,
                              @DefaultValue("2s") @NotNull @DurationMin(seconds = 1) Duration queryTimeout,
                              @DefaultValue("2s") @NotNull Duration maxWait,
                              @DefaultValue("500ms") @NotNull @DurationMin(millis = 100) Duration probeInterval) {

        /** HikariCP waits at least 250 ms for a pooled connection; the rest of {@code maxWait} is the own one. */
        public static final Duration SHORTEST_POOL_WAIT = Duration.ofMillis(250);

        /**
         * The pool's share of {@link #maxWait}: what is left once a connection of the call's own is allowed for, to
         * connect and to be greeted.
         */
        public Duration poolWait() {
            return maxWait.minus(connectTimeout.multipliedBy(2));
        }

        @AssertTrue(message = "max-wait must exceed twice connect-timeout by at least 250 ms (the pool's shortest wait)")
        public boolean isMaxWaitAboveConnectTimeout() {
            return maxWait == null || connectTimeout == null || poolWait().compareTo(SHORTEST_POOL_WAIT) >= 0;
        }
    }

    /**
     * @param strategy                 how a first placement (or a re-placement) picks its node
     * @param diskFreeMinPct           {@code disk-aware}: nodes reporting less free disk than this are left out
     * @param maxContainersPerNode     {@code disk-aware}: nodes reporting this many containers or more are left out; 0 = no cap
     * @param failover                 {@code manual}: an app on an unusable node gets 409; {@code auto}: it is re-placed
     * @param failoverGraceSeconds     how long a node must be stale before its apps fail over, and how long after
     *                                 start-up failover waits; unset = twice {@code heartbeat-stale-seconds}
     * @param failoverMaxStaleFraction automatic failover pauses while more than this share of enabled nodes is stale
     * @param failoverRatePerSecond    {@code auto}: at most this many apps a second are moved off lost nodes by the
     *                                 reconciler, which does not wait for {@code ensure}
     */
    public record PlacementSettings(
            @DefaultValue("hash") @NotNull PlacementStrategyName strategy,
            @DefaultValue("15") @DecimalMin("0") @DecimalMax("100") double diskFreeMinPct,
            @DefaultValue("0") @Min(0) int maxContainersPerNode,
            @DefaultValue("manual") @NotNull FailoverMode failover,
            @Min(0) @Max(86_400) Integer failoverGraceSeconds,
            @DefaultValue("0.5") @DecimalMin("0") @DecimalMax("1") double failoverMaxStaleFraction,
            @DefaultValue("10") @Min(1) @Max(10_000) int failoverRatePerSecond) {
    }

    public enum PlacementStrategyName { HASH, WEIGHTED_RENDEZVOUS, LEAST_LOADED, DISK_AWARE }

    public enum FailoverMode { MANUAL, AUTO }
}
