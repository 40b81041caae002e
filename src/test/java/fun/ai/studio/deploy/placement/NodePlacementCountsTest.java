package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.config.RegistryProperties;
import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.node.NodeHealthPolicy;
import fun.ai.studio.deploy.node.NodeView;
import fun.ai.studio.deploy.node.RuntimeNodeService;
import fun.ai.studio.deploy.shared.PlacementChanged;
import fun.ai.studio.deploy.persistence.memory.InMemoryPlacementRepository;
import fun.ai.studio.deploy.persistence.memory.InMemoryRuntimeNodeRepository;
import fun.ai.studio.deploy.support.MutableClock;
import fun.ai.studio.deploy.support.RegistrySettings;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.CannotCreateTransactionException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A node's count is reused for page totals until a local change or five seconds; heartbeat answers use the count
 * they have and never wait for a new one, which is read in the background.
 */
class NodePlacementCountsTest {

    private static final RegistryProperties REGISTRY = RegistrySettings.defaults(true, 60);
    private static final Duration WITHIN = Duration.ofSeconds(5);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T03:12:31.123Z"));
    private final InMemoryPlacementRepository placements = new InMemoryPlacementRepository();
    private final NodeHealthPolicy health = new NodeHealthPolicy(clock, REGISTRY);
    private final NodePlacementCounts nodes = new NodePlacementCounts(placements, clock);

    @Test
    void aCountIsReusedUntilItIsFiveSecondsOld() {
        placements.assign("app-1", 7, 0);
        assertThat(nodes.recentCount(7)).isEqualTo(1);

        // Written behind the service's back, as another instance on the same database would.
        placements.assign("app-2", 7, 0);
        clock.advance(Duration.ofMillis(NodePlacementCounts.RECENT_COUNT_MAX_AGE_MS - 1));
        assertThat(nodes.recentCount(7)).isEqualTo(1);

        clock.advance(Duration.ofMillis(1));
        assertThat(nodes.recentCount(7)).isEqualTo(2);
    }

    @Test
    void aPlacementChangeOnThisInstanceIsCountedAtOnce() {
        assertThat(nodes.recentCount(7)).isZero();
        placements.assign("app-1", 7, 0);

        nodes.placementsChanged(changedOn(7));

        assertThat(nodes.recentCount(7)).isEqualTo(1);
    }

    @Test
    void aPlacementChangeOfOneNodeKeepsTheOtherNodesCounts() {
        placements.assign("app-1", 7, 0);
        placements.assign("app-2", 8, 0);
        assertThat(nodes.recentCount(7)).isEqualTo(1);
        assertThat(nodes.recentCount(8)).isEqualTo(1);
        placements.assign("app-3", 7, 0);
        placements.assign("app-4", 8, 0);

        nodes.placementsChanged(changedOn(7));

        assertThat(nodes.recentCount(7)).isEqualTo(2);
        assertThat(nodes.recentCount(8)).as("still the count read before").isEqualTo(1);
    }

    @Test
    void heartbeatsAnswerTheCountTheyHaveAndReadAgedAndChangedCountsInTheBackgroundAtMostOnceASecond() {
        CountingPlacements counted = new CountingPlacements();
        NodePlacementCounts counts = new NodePlacementCounts(counted, clock);
        RuntimeNodeService service = new RuntimeNodeService(new InMemoryRuntimeNodeRepository(), counts, health, clock,
                REGISTRY, RegistrySettings.audit(clock), event -> { });
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(beat(service, "rt-" + i).nodeId());
        }
        assertThat(counted.single).as("a new node is counted at once").isEqualTo(3);
        ids.forEach(id -> counted.assign("app-of-" + id, id, 0));

        clock.advance(Duration.ofMillis(NodePlacementCounts.RECENT_COUNT_MAX_AGE_MS));
        List<Long> answered = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            answered.add(beat(service, "rt-" + i).placementCount());
        }
        await().atMost(WITHIN).until(() -> counted.batches == 1);
        assertThat(answered).as("aged counts answered as they were").containsExactly(0L, 0L, 0L);
        assertThat(counted.batches).as("three aged beats in one second, one batch").isEqualTo(1);

        // A second later the nodes the first batch missed (it may have run before their beats) are read too.
        await().atMost(WITHIN).until(() -> {
            clock.advance(Duration.ofMillis(NodePlacementCounts.AGED_RECOUNT_EVERY_MS));
            return ids.stream().allMatch(id -> beat(service, "rt-" + ids.indexOf(id)).placementCount() == 1);
        });
        assertThat(counted.single).as("no count per heartbeat").isEqualTo(3);

        counted.assign("app-more", ids.get(0), 0);
        counts.placementsChanged(changedOn(ids.get(0)));
        clock.advance(Duration.ofMillis(NodePlacementCounts.AGED_RECOUNT_EVERY_MS));
        assertThat(beat(service, "rt-0").placementCount()).as("the count from before the change").isEqualTo(1);
        await().atMost(WITHIN).until(() -> beat(service, "rt-0").placementCount() == 2);
        assertThat(counted.single).as("still no count per heartbeat").isEqualTo(3);
    }

    @Test
    void whileTheDatabaseCannotCountHeartbeatsOfCountedNodesAreAnsweredAndTheirCountsReadOnceItCan() {
        CountingPlacements counted = new CountingPlacements();
        NodePlacementCounts counts = new NodePlacementCounts(counted, clock);
        RuntimeNodeService service = new RuntimeNodeService(new InMemoryRuntimeNodeRepository(), counts, health, clock,
                REGISTRY, RegistrySettings.audit(clock), event -> { });
        long changed = beat(service, "rt-changed").nodeId();
        counted.assign("app-1", changed, 0);
        counts.placementsChanged(changedOn(changed));

        counted.unreachable = true;
        long answered = beat(service, "rt-changed").placementCount();
        await().atMost(WITHIN).until(() -> counted.refused > 0);
        assertThatThrownBy(() -> beat(service, "rt-new")).as("a node never counted is counted at once")
                .isInstanceOf(CannotCreateTransactionException.class);

        counted.unreachable = false;
        clock.advance(Duration.ofMillis(NodePlacementCounts.AGED_RECOUNT_EVERY_MS));

        assertThat(answered).as("the count from before the change").isZero();
        await().atMost(WITHIN).until(() -> beat(service, "rt-changed").placementCount() == 1);
    }

    /** One app placed on the node here, as {@code ensure} announces it. */
    private PlacementChanged changedOn(long nodeId) {
        return PlacementChanged.ofApp(PlacementChanged.Kind.CREATED, "app-x", null, nodeId, clock.instant());
    }

    private NodeView beat(RuntimeNodeService service, String name) {
        return service.heartbeat(new Heartbeat(name, "http://a:1", "http://b:2", null, null, null), "127.0.0.1");
    }

    /** Counts single-node counts and batched ones; while {@code unreachable}, refuses both as the breaker does. */
    private static final class CountingPlacements extends InMemoryPlacementRepository {
        volatile int single;
        volatile int batches;
        volatile boolean unreachable;
        volatile int refused;

        @Override
        public long countByNode(long nodeId) {
            refuseIfUnreachable();
            single++;
            return super.countByNode(nodeId);
        }

        @Override
        public Map<Long, Long> countByNodes(Collection<Long> nodeIds) {
            refuseIfUnreachable();
            batches++;
            return super.countByNodes(nodeIds);
        }

        private void refuseIfUnreachable() {
            if (unreachable) {
                refused++;
                throw new CannotCreateTransactionException("database unreachable");
            }
        }
    }
}
