package fun.ai.studio.deploy.observability;

import fun.ai.studio.deploy.config.MetricsProperties;
import fun.ai.studio.deploy.node.NodeHealth;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.node.RuntimeNodeService;
import fun.ai.studio.deploy.placement.PlacementRepository;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Counts of nodes by health and enabled, of placements per node and of the redeploy backlog, for gauges and the
 * health endpoint.
 * Read from the store at most once per {@link #MAX_AGE_MS}, however often scrapes and probes ask, so
 * monitoring never adds load proportional to its own frequency. Per-node series stop at
 * {@code deploy.metrics.max-node-series} nodes (the lowest ids, so a node keeps its series as others come and go);
 * the placements of the rest are summed into one series labelled {@value #OTHER_NODES}, so the series still add up
 * to the total and a large fleet cannot swamp Prometheus.
 */
@Component
class FleetSnapshot {

    static final long MAX_AGE_MS = 5_000;

    /** {@code node} and {@code node_id} of the series summing the nodes beyond the cap; no node name starts with _. */
    static final String OTHER_NODES = "_other";

    /** One reading of the fleet. */
    public record Counts(Map<NodeHealth, long[]> nodesByHealth, Map<Long, Long> placementsByNode, long placements,
                         long nodes, long redeployBacklog) {

        /** Nodes of this health that are enabled (index 1) or disabled (index 0). */
        public long nodes(NodeHealth health, boolean enabled) {
            return nodesByHealth.get(health)[enabled ? 1 : 0];
        }
    }

    private final RuntimeNodeService nodes;
    private final PlacementRepository placements;
    private final MultiGauge placementsPerNode;
    private final int maxNodeSeries;
    // One reading under one key: Caffeine lets one caller read while concurrent callers wait for that reading.
    private final LoadingCache<Boolean, Counts> reading;

    FleetSnapshot(RuntimeNodeService nodes, PlacementRepository placements, Clock clock, MeterRegistry registry,
                         MetricsProperties metrics) {
        this.nodes = nodes;
        this.placements = placements;
        this.maxNodeSeries = metrics.maxNodeSeries();
        this.reading = Caffeine.newBuilder()
                .expireAfterWrite(Duration.ofMillis(MAX_AGE_MS))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run)
                .build(key -> read(clock.instant()));
        for (NodeHealth health : NodeHealth.values()) {
            for (boolean enabled : new boolean[] {true, false}) {
                Gauge.builder("deploy.nodes", this, s -> s.current().nodes(health, enabled))
                        .description("runtime nodes by health and enabled")
                        .tags("health", health.name().toLowerCase(Locale.ROOT), "enabled", String.valueOf(enabled))
                        .register(registry);
            }
        }
        Gauge.builder("deploy.placements", this, s -> s.current().placements())
                .description("apps placed on any node").register(registry);
        Gauge.builder("deploy.redeploy.backlog", this, s -> s.current().redeployBacklog())
                .description("apps whose placement moved and that wait for a SUCCEEDED report on the new node")
                .register(registry);
        this.placementsPerNode = MultiGauge.builder("deploy.node.placements")
                .description("apps placed on each node").register(registry);
    }

    /** The latest reading, taken again when older than {@link #MAX_AGE_MS}. */
    public Counts current() {
        return reading.get(Boolean.TRUE);
    }

    private Counts read(Instant now) {
        List<RuntimeNode> all = nodes.all();
        Map<NodeHealth, long[]> byHealth = new EnumMap<>(NodeHealth.class);
        for (NodeHealth health : NodeHealth.values()) {
            byHealth.put(health, new long[2]);
        }
        for (RuntimeNode node : all) {
            byHealth.get(nodes.health(node, now))[node.enabled() ? 1 : 0]++;
        }
        Map<Long, Long> perNode = placements.countAllByNode();
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        long beyondCap = 0;
        for (int i = 0; i < all.size(); i++) {
            RuntimeNode node = all.get(i);
            long count = perNode.getOrDefault(node.id(), 0L);
            if (i < maxNodeSeries) {
                rows.add(MultiGauge.Row.of(Tags.of("node_id", String.valueOf(node.id()), "node", node.name()), count));
            } else {
                beyondCap += count;
            }
        }
        if (all.size() > maxNodeSeries) {
            rows.add(MultiGauge.Row.of(Tags.of("node_id", OTHER_NODES, "node", OTHER_NODES), beyondCap));
        }
        placementsPerNode.register(rows, true);
        long total = perNode.values().stream().mapToLong(Long::longValue).sum();
        return new Counts(byHealth, perNode, total, all.size(), placements.countPendingRedeploys());
    }
}
