package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.config.RegistryProperties;
import fun.ai.studio.deploy.config.RuntimeProperties;
import org.springframework.context.ApplicationEventPublisher;
import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.node.NodeHealthPolicy;
import fun.ai.studio.deploy.shared.PlacementChanged;
import fun.ai.studio.deploy.node.NodeUpsert;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.node.RuntimeNodeService;
import fun.ai.studio.deploy.persistence.memory.InMemoryPlacementRepository;
import fun.ai.studio.deploy.persistence.memory.InMemoryRuntimeNodeRepository;
import fun.ai.studio.deploy.support.MutableClock;
import fun.ai.studio.deploy.support.NewNodes;
import fun.ai.studio.deploy.support.RegistrySettings;
import fun.ai.studio.deploy.shared.NoCapacityException;
import fun.ai.studio.deploy.shared.PlacementConflictException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The first-placement rule and its refusals, on the in-memory repositories with a hand-moved clock. */
class PlacementServiceTest {

    private static final Duration STALE_AFTER = Duration.ofSeconds(60);

    private MutableClock clock;
    private InMemoryRuntimeNodeRepository nodeRepository;
    private InMemoryPlacementRepository placementRepository;
    private PlacementService placements;

    @BeforeEach
    void emptyRegistry() {
        clock = new MutableClock(Instant.parse("2026-11-28T03:12:31.123Z"));
        nodeRepository = new InMemoryRuntimeNodeRepository();
        placementRepository = new InMemoryPlacementRepository();
        RegistryProperties registry = RegistrySettings.defaults(true, 60);
        NodeHealthPolicy health = new NodeHealthPolicy(clock, registry);
        NodePlacementCounts counts = new NodePlacementCounts(placementRepository, clock);
        ApplicationEventPublisher events = event -> {
            if (event instanceof PlacementChanged change) {
                counts.placementsChanged(change);
            }
        };
        RuntimeNodeService nodes = new RuntimeNodeService(nodeRepository, counts, health, clock, registry,
                RegistrySettings.audit(clock), events);
        RuntimeProperties runtime = new RuntimeProperties(new RuntimeProperties.Persistence(false, 0, java.time.ZoneId.of("Asia/Shanghai"),
                java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(3), java.time.Duration.ofSeconds(2),
                java.time.Duration.ofSeconds(2), java.time.Duration.ofMillis(500)),
                PlacementFixture.placement(RuntimeProperties.FailoverMode.MANUAL));
        placements = new PlacementService(placementRepository, nodes, new HashPlacementStrategy(),
                new FailoverPolicy(runtime, registry, clock), counts, outcome -> { }, events, clock);
    }

    private RuntimeNode heartbeat(String name) {
        return nodeRepository.recordHeartbeat(new Heartbeat(name, "http://10.0.0.1:7005", "http://10.0.0.1:8080",
                null, null, null), NewNodes.OPEN, clock.instant()).node();
    }

    private void disable(String name) {
        nodeRepository.setEnabled(name, false, clock.instant());
    }

    /** AppIds with negative hash codes, for which floorMod differs from Math.abs(h) % n. */
    private static List<String> negativeHashAppIds(int nodes, int count) {
        List<String> appIds = new ArrayList<>();
        for (int i = 0; appIds.size() < count; i++) {
            String appId = "neg-" + i;
            int hash = appId.hashCode();
            if (hash < 0 && Math.floorMod(hash, nodes) != Math.abs(hash) % nodes) {
                appIds.add(appId);
            }
        }
        return appIds;
    }

    @Test
    void firstPlacementSkipsDisabledStaleAndUrlLessNodesAndIndexesTheRestById() {
        RuntimeNode wentStale = heartbeat("went-stale");
        clock.advance(STALE_AFTER);
        RuntimeNode first = heartbeat("first");
        heartbeat("disabled");
        disable("disabled");
        RuntimeNode withoutUrls = nodeRepository.upsert(new NodeUpsert("no-urls", null, null, true, 100),
                NewNodes.MAX, clock.instant());
        nodeRepository.recordHeartbeat(new Heartbeat("no-urls", "", " ", null, null, null), NewNodes.OPEN, clock.instant());
        RuntimeNode second = heartbeat("second");
        RuntimeNode third = heartbeat("third");
        List<Long> placeable = List.of(first.id(), second.id(), third.id());
        assertThat(wentStale.id()).isLessThan(first.id());
        assertThat(withoutUrls.id()).isBetween(first.id(), second.id());

        List<String> appIds = new ArrayList<>(negativeHashAppIds(3, 6));
        appIds.addAll(List.of("app-1", "rt-app-42", "shop:web", "polygenelubricants"));
        for (String appId : appIds) {
            PlacementView view = placements.ensure(appId);
            assertThat(view.nodeId()).as(appId).isEqualTo(placeable.get(Math.floorMod(appId.hashCode(), 3)));
            assertThat(view.created()).isTrue();
        }
    }

    @Test
    void nodeCrossingTheStaleThresholdToTheMillisecondLeavesTheCandidates() {
        RuntimeNode early = heartbeat("early");
        clock.advance(Duration.ofSeconds(30));
        RuntimeNode late = heartbeat("late");
        // "shop:web" lands on index 0 of two nodes: floorMod(-346056496, 2) = 0.
        assertThat(Math.floorMod("shop:web".hashCode(), 2)).isZero();

        clock.advance(Duration.ofSeconds(30).minusMillis(1));
        assertThat(placements.ensure("shop:web").nodeId()).isEqualTo(early.id());

        clock.advance(Duration.ofMillis(1));
        assertThat(placements.ensure("shop:web:2").nodeId()).isEqualTo(late.id());
        assertThatThrownBy(() -> placements.ensure("shop:web"))
                .isInstanceOf(PlacementConflictException.class)
                .hasMessageContaining("early").hasMessageContaining("stale");
    }

    @Test
    void existingPlacementIsKeptAndRefreshedEvenWhenTheRuleWouldNowChooseAnotherNode() {
        RuntimeNode only = heartbeat("only");
        PlacementView first = placements.ensure("sticky");
        heartbeat("joined-later-1");
        heartbeat("joined-later-2");
        clock.advance(Duration.ofSeconds(10));

        PlacementView again = placements.ensure("sticky");

        assertThat(again.nodeId()).isEqualTo(only.id());
        assertThat(again.created()).isFalse();
        assertThat(again.lastActiveAt()).isEqualTo(first.lastActiveAt() + 10_000);
    }

    @Test
    void noPlaceableNodeIs503AndStoresNothing() {
        heartbeat("off");
        disable("off");
        nodeRepository.upsert(new NodeUpsert("silent", "http://a:1", "http://b:2", true, 100),
                NewNodes.MAX, clock.instant());

        assertThatThrownBy(() -> placements.ensure("homeless"))
                .isInstanceOf(NoCapacityException.class)
                .hasMessageContaining("no placeable runtime node");
        assertThat(placementRepository.find("homeless")).isEmpty();
    }

    @Test
    void placementOnADisabledNodeIs409SayingToDrainOrReassign() {
        RuntimeNode node = heartbeat("retiring");
        placements.ensure("tenant");
        heartbeat("spare");
        disable("retiring");
        long before = placementRepository.find("tenant").orElseThrow().lastActiveAt();
        clock.advance(Duration.ofSeconds(1));

        assertThatThrownBy(() -> placements.ensure("tenant"))
                .isInstanceOf(PlacementConflictException.class)
                .hasMessage("app 'tenant' is placed on node " + node.id()
                        + " (retiring), which is disabled; drain the node or reassign the app");
        assertThat(placementRepository.find("tenant").orElseThrow().lastActiveAt()).isEqualTo(before);
    }

    @Test
    void lookupNeverRefreshesAndIgnoresTheNodeState() {
        RuntimeNode node = heartbeat("looked-at");
        PlacementView placed = placements.ensure("observed");
        disable("looked-at");
        clock.advance(STALE_AFTER.multipliedBy(3));

        PlacementView looked = placements.get("observed");

        assertThat(looked.nodeId()).isEqualTo(node.id());
        assertThat(looked.lastActiveAt()).isEqualTo(placed.lastActiveAt());
        assertThat(looked.created()).isFalse();
    }
}
