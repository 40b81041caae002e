package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.config.RegistryProperties;
import fun.ai.studio.deploy.config.RuntimeProperties;
import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.node.NodeHealthPolicy;
import fun.ai.studio.deploy.shared.PlacementChanged;
import fun.ai.studio.deploy.node.NodeUpsert;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.node.RuntimeNodeService;
import fun.ai.studio.deploy.persistence.memory.InMemoryChangeLog;
import fun.ai.studio.deploy.persistence.memory.InMemoryPlacementRepository;
import fun.ai.studio.deploy.persistence.memory.InMemoryRuntimeNodeRepository;
import fun.ai.studio.deploy.support.MutableClock;
import fun.ai.studio.deploy.support.NewNodes;
import fun.ai.studio.deploy.support.RegistrySettings;

import org.springframework.context.ApplicationEventPublisher;

import java.time.Instant;

/**
 * A placement service on in-memory repositories and a clock the test moves, without Spring, so placement
 * rules run thousands of times a second.
 */
final class PlacementFixture {

    static final int STALE_SECONDS = 60;

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T00:00:00Z"));
    final InMemoryChangeLog changes = new InMemoryChangeLog(10_000);
    final InMemoryRuntimeNodeRepository nodeRepository = new InMemoryRuntimeNodeRepository(changes);
    final InMemoryPlacementRepository placementRepository = new InMemoryPlacementRepository();
    final RegistryProperties registry = RegistrySettings.defaults(true, STALE_SECONDS);
    final NodeHealthPolicy health = new NodeHealthPolicy(clock, registry);
    final NodePlacementCounts counts = new NodePlacementCounts(placementRepository, clock);
    final ApplicationEventPublisher events = event -> {
        if (event instanceof PlacementChanged change) {
            counts.placementsChanged(change);
        }
    };
    final RuntimeNodeService nodes = new RuntimeNodeService(nodeRepository, counts, health, clock, registry,
                RegistrySettings.audit(clock), events);
    final PlacementService placements;
    final RuntimeProperties runtime;

    PlacementFixture(RuntimeProperties.PlacementSettings placement, PlacementStrategy strategy) {
        this.runtime = new RuntimeProperties(new RuntimeProperties.Persistence(false, 0, java.time.ZoneId.of("Asia/Shanghai"),
                java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(3), java.time.Duration.ofSeconds(2),
                java.time.Duration.ofSeconds(2), java.time.Duration.ofMillis(500)), placement);
        this.placements = new PlacementService(placementRepository, nodes, strategy,
                new FailoverPolicy(runtime, registry, clock), counts, outcome -> { }, events, clock);
    }

    PlacementFixture(PlacementStrategy strategy) {
        this(placement(RuntimeProperties.FailoverMode.MANUAL), strategy);
    }

    static RuntimeProperties.PlacementSettings placement(RuntimeProperties.FailoverMode mode) {
        return new RuntimeProperties.PlacementSettings(RuntimeProperties.PlacementStrategyName.HASH, 15, 0, mode, null, 0.5, 10);
    }

    /** A node that heartbeats now, with the given weight. */
    RuntimeNode healthyNode(String name, int weight) {
        RuntimeNode node = heartbeat(name, null, null);
        return nodeRepository.upsert(new NodeUpsert(name, node.agentBaseUrl(), node.gatewayBaseUrl(), null, weight),
                NewNodes.MAX,
                clock.instant());
    }

    RuntimeNode heartbeat(String name, Double diskFreePct, Integer containerCount) {
        return nodeRepository.recordHeartbeat(new Heartbeat(name, "http://" + name + ":7005", "https://" + name + ".gw",
                diskFreePct, null, containerCount), NewNodes.OPEN, clock.instant()).node();
    }

    void disable(String name) {
        nodeRepository.setEnabled(name, false, clock.instant());
    }
}
