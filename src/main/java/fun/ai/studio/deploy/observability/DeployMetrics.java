package fun.ai.studio.deploy.observability;

import fun.ai.studio.deploy.shared.EndpointGroup;
import fun.ai.studio.deploy.placement.EnsureOutcomes;
import fun.ai.studio.deploy.shared.PlacementChanged;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The service's own counters; every name starts with {@code deploy.} and every tag value is a fixed word. Placement
 * moves are counted from {@link PlacementChanged} events; {@code ensure} reports its outcomes through
 * {@link EnsureOutcomes}.
 */
@Component
public class DeployMetrics implements EnsureOutcomes {

    /** How an authenticated heartbeat ended: stored, refused as bad input, or failed on our side. */
    public enum HeartbeatOutcome { ACCEPTED, INVALID, ERROR }

    private final MeterRegistry registry;
    // Registered once: looking a counter up by name and tags on every request costs more than the increment.
    private final Map<Outcome, Counter> ensures = new EnumMap<>(Outcome.class);
    private final Map<HeartbeatOutcome, Counter> heartbeats = new EnumMap<>(HeartbeatOutcome.class);
    private final Counter reassigns;
    private final Counter drains;
    private final Counter appsMoved;

    public DeployMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.reassigns = Counter.builder("deploy.reassigns").description("apps reassigned by an operator").register(registry);
        this.drains = Counter.builder("deploy.drains")
                .description("drain calls carried out (dry runs excluded), also those that found nothing left to move")
                .register(registry);
        this.appsMoved = Counter.builder("deploy.apps.moved")
                .description("apps moved by drains and automatic failover").register(registry);
        for (Outcome outcome : Outcome.values()) {
            ensures.put(outcome, Counter.builder("deploy.ensure").tag("outcome", tag(outcome))
                    .description("ensure calls by outcome").register(registry));
        }
        for (HeartbeatOutcome outcome : HeartbeatOutcome.values()) {
            heartbeats.put(outcome, Counter.builder("deploy.heartbeats").tag("outcome", tag(outcome))
                    .description("authenticated heartbeats by outcome").register(registry));
        }
    }

    public void heartbeat(HeartbeatOutcome outcome) {
        heartbeats.get(outcome).increment();
    }

    @Override
    public void ensured(Outcome outcome) {
        ensures.get(outcome).increment();
    }

    @EventListener
    void placementsChanged(PlacementChanged change) {
        switch (change.kind()) {
            case REASSIGNED -> reassigns.increment();
            case DRAINED -> {
                drains.increment();
                appsMoved.increment(change.apps());
            }
            case FAILED_OVER -> appsMoved.increment(change.apps());
            case CREATED -> {
                // first placements are counted by ensure's outcome
            }
        }
    }

    /**
     * @param reason {@code forbidden} (address not allowed), {@code missing_token}, {@code wrong_token}, or
     *               {@code other_node_token} (per-node auth: a heartbeat whose token is not the named node's)
     */
    public void authenticationFailed(EndpointGroup group, String reason) {
        Counter.builder("deploy.auth.failures").tags("group", tag(group), "reason", reason)
                .description("requests refused by access control, by endpoint group and reason").register(registry)
                .increment();
    }

    private static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
