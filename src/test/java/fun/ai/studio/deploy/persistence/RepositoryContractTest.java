package fun.ai.studio.deploy.persistence;

import fun.ai.studio.deploy.apprun.AppRun;
import fun.ai.studio.deploy.apprun.AppRunRepository;
import fun.ai.studio.deploy.audit.AuditEntry;
import fun.ai.studio.deploy.audit.AuditRepository;
import fun.ai.studio.deploy.changes.ChangeEntry;
import fun.ai.studio.deploy.changes.ChangeFeed;
import fun.ai.studio.deploy.changes.ChangeLog;
import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.node.NewNodePolicy;
import fun.ai.studio.deploy.node.NodeLimitReached;
import fun.ai.studio.deploy.node.NodeUpsert;
import fun.ai.studio.deploy.node.RecordedHeartbeat;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.node.RuntimeNodeRepository;
import fun.ai.studio.deploy.placement.MoveReason;
import fun.ai.studio.deploy.placement.NodeCondition;
import fun.ai.studio.deploy.placement.NodeConditionRepository;
import fun.ai.studio.deploy.placement.PendingRedeploy;
import fun.ai.studio.deploy.placement.Placement;
import fun.ai.studio.deploy.placement.PlacementRepository.PlaceResult;
import fun.ai.studio.deploy.placement.PlacementRepository;
import fun.ai.studio.deploy.support.Concurrently;
import fun.ai.studio.deploy.support.NewNodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The promises of {@link RuntimeNodeRepository}, {@link PlacementRepository}, {@link AppRunRepository},
 * {@link AuditRepository} and {@link NodeConditionRepository}, run unchanged against every implementation. Each test
 * starts from an empty store.
 */
public abstract class RepositoryContractTest {

    /** The repositories of one store. */
    protected record Repositories(RuntimeNodeRepository nodes, PlacementRepository placements, AppRunRepository runs,
                                  AuditRepository audit, ChangeLog changes, NodeConditionRepository conditions) {
    }

    protected static final Instant T0 = Instant.parse("2026-11-28T03:12:31.123Z");

    protected RuntimeNodeRepository nodes;
    protected PlacementRepository placements;
    protected AppRunRepository runs;
    protected AuditRepository audit;
    protected ChangeLog changes;
    protected NodeConditionRepository conditions;
    // The log keeps its revisions across tests: each test reads what came after this one.
    private long revisionAtStart;

    /** The implementation's repositories over a store emptied of everything earlier tests left. */
    protected abstract Repositories emptyRepositories();

    @BeforeEach
    void startFromAnEmptyStore() {
        Repositories repositories = emptyRepositories();
        nodes = repositories.nodes();
        placements = repositories.placements();
        runs = repositories.runs();
        audit = repositories.audit();
        changes = repositories.changes();
        conditions = repositories.conditions();
        revisionAtStart = changes.latestRevision();
    }

    /** The entries this test's changes recorded, as (kind, appId, nodeId, from, to, reason, at). */
    private List<List<Object>> recorded() {
        return changes.after(revisionAtStart, ChangeFeed.MAX_LIMIT).stream()
                .map(e -> Arrays.<Object>asList(e.kind(), e.appId(), e.nodeId(), e.fromNodeId(), e.toNodeId(),
                        e.reason(), e.at()))
                .toList();
    }

    private static List<Object> entry(String kind, String appId, Long nodeId, Long from, Long to, String reason,
                                      long at) {
        return Arrays.asList(kind, appId, nodeId, from, to, reason, at);
    }

    @Test
    void eachPlacementChangeIsRecordedOnceWithWhereFromWhereToAndWhy() {
        placements.placeIfAbsent("a1", 1, 10L);
        placements.placeIfAbsent("a1", 2, 11L);
        placements.assign("a2", 3, 12L);
        placements.assign("a1", 2, 13L);
        placements.assign("a1", 2, 14L);
        placements.moveApps(2, Map.of("a1", 4L, "not-placed", 4L), 15L, MoveReason.DRAIN);
        placements.moveFirstApps(4, 5, 10, 16L, MoveReason.FAILOVER);
        placements.touch("a1", 17L);

        assertThat(recorded()).containsExactly(
                entry("placement-created", "a1", null, null, 1L, null, 10L),
                entry("placement-created", "a2", null, null, 3L, null, 12L),
                entry("placement-moved", "a1", null, 1L, 2L, "reassign", 13L),
                entry("placement-moved", "a1", null, 2L, 4L, "drain", 15L),
                entry("placement-moved", "a1", null, 4L, 5L, "failover", 16L));
    }

    @Test
    void nodeChangesAreRecordedAndHeartbeatsThatChangeNothingButTimesAreNot() {
        long id = nodes.recordHeartbeat(heartbeat("rt-node-01", null, null, null), NewNodes.OPEN, T0).node().id();
        nodes.recordHeartbeat(heartbeat("rt-node-01", 50.0, 1L, 3), NewNodes.OPEN, T0.plusSeconds(1));
        nodes.recordHeartbeat(new Heartbeat("rt-node-01", "http://10.0.0.99:7005", "https://gw.example.com", null, null,
                null), NewNodes.OPEN, T0.plusSeconds(2));
        nodes.upsert(new NodeUpsert("rt-node-01", "http://10.0.0.99:7005", "https://gw.example.com", null, null),
                NewNodes.MAX, T0.plusSeconds(3));
        nodes.upsert(new NodeUpsert("rt-node-01", "http://10.0.0.99:7005", "https://gw.example.com", null, 40),
                NewNodes.MAX, T0.plusSeconds(4));
        long other = nodes.upsert(new NodeUpsert("rt-node-02", "http://b:1", "http://b:2", null, null), NewNodes.MAX,
                T0.plusSeconds(5)).id();
        nodes.setEnabled("rt-node-01", false, T0.plusSeconds(6));
        nodes.setEnabled("rt-node-01", false, T0.plusSeconds(7));
        nodes.setEnabled("rt-node-01", true, T0.plusSeconds(8));
        nodes.setEnabled("rt-node-missing", false, T0.plusSeconds(9));

        long t0 = T0.toEpochMilli();
        assertThat(recorded()).containsExactly(
                entry("node-registered", null, id, null, null, null, t0),
                entry("node-urls-changed", null, id, null, null, null, t0 + 2_000),
                entry("node-weight-changed", null, id, null, null, null, t0 + 4_000),
                entry("node-registered", null, other, null, null, null, t0 + 5_000),
                entry("node-disabled", null, id, null, null, null, t0 + 6_000),
                entry("node-enabled", null, id, null, null, null, t0 + 8_000));
    }

    @Test
    void anUpsertRecordsEachThingItChangedAndNothingWhenItChangedNothing() {
        long id = nodes.upsert(new NodeUpsert("rt-node-01", "http://a:1", "http://b:2", true, 10), NewNodes.MAX, T0).id();
        nodes.upsert(new NodeUpsert("rt-node-01", "http://a:1", "http://b:3", false, 20), NewNodes.MAX,
                T0.plusSeconds(1));
        nodes.upsert(new NodeUpsert("rt-node-01", "http://a:1", "http://b:3", true, null), NewNodes.MAX,
                T0.plusSeconds(2));
        nodes.upsert(new NodeUpsert("rt-node-01", "http://a:9", "http://b:3", null, 20), NewNodes.MAX,
                T0.plusSeconds(3));
        nodes.upsert(new NodeUpsert("rt-node-01", "http://a:9", "http://b:3", true, 20), NewNodes.MAX,
                T0.plusSeconds(4));

        long t0 = T0.toEpochMilli();
        assertThat(recorded()).containsExactly(
                entry("node-registered", null, id, null, null, null, t0),
                entry("node-urls-changed", null, id, null, null, null, t0 + 1_000),
                entry("node-disabled", null, id, null, null, null, t0 + 1_000),
                entry("node-weight-changed", null, id, null, null, null, t0 + 1_000),
                entry("node-enabled", null, id, null, null, null, t0 + 2_000),
                entry("node-urls-changed", null, id, null, null, null, t0 + 3_000));
    }

    private static final NodeCondition HEALTHY_FITS = new NodeCondition(true, true);
    private static final NodeCondition STALE_FITS = new NodeCondition(false, true);
    private static final NodeCondition STALE_UNFIT = new NodeCondition(false, false);

    @Test
    void aNodesFirstConditionIsStoredOnceWithoutAnEntry() {
        assertThat(conditions.recordFirst(Map.of(7L, HEALTHY_FITS), 100)).isEqualTo(1);
        assertThat(conditions.recordFirst(Map.of(7L, STALE_UNFIT, 8L, STALE_FITS), 101))
                .as("7 has one already").isEqualTo(1);

        assertThat(conditions.findAll()).isEqualTo(Map.of(7L, HEALTHY_FITS, 8L, STALE_FITS));
        assertThat(recorded()).isEmpty();
    }

    @Test
    void aWholeFleetsFirstConditionsAreStoredTogether() {
        Map<Long, NodeCondition> fleet = LongStream.rangeClosed(1, 2_500).boxed()
                .collect(Collectors.toMap(id -> id, id -> id % 3 == 0 ? STALE_UNFIT : HEALTHY_FITS));

        assertThat(conditions.recordFirst(fleet, 100)).isEqualTo(2_500);
        assertThat(conditions.findAll()).isEqualTo(fleet);
        assertThat(recorded()).isEmpty();
    }

    @Test
    void aFlipReplacesTheConditionItWasComparedWithAndRecordsEachChangeInIt() {
        conditions.recordFirst(Map.of(7L, HEALTHY_FITS, 8L, STALE_FITS), 100);

        assertThat(conditions.recordFlip(7, HEALTHY_FITS, STALE_UNFIT, "containers", 200)).isTrue();
        assertThat(conditions.recordFlip(7, STALE_UNFIT, STALE_FITS, null, 300)).isTrue();
        assertThat(conditions.recordFlip(8, STALE_FITS, HEALTHY_FITS, null, 400)).isTrue();
        assertThat(conditions.recordFlip(8, HEALTHY_FITS, STALE_UNFIT, "disk", 500)).isTrue();

        assertThat(recorded()).containsExactly(
                entry("node-stale", null, 7L, null, null, null, 200L),
                entry("node-unfit", null, 7L, null, null, "containers", 200L),
                entry("node-fit", null, 7L, null, null, null, 300L),
                entry("node-healthy", null, 8L, null, null, null, 400L),
                entry("node-stale", null, 8L, null, null, null, 500L),
                entry("node-unfit", null, 8L, null, null, "disk", 500L));
        assertThat(conditions.findAll()).isEqualTo(Map.of(7L, STALE_FITS, 8L, STALE_UNFIT));
    }

    @Test
    void aFlipFromAConditionNoLongerStoredWritesNothing() {
        conditions.recordFirst(Map.of(7L, HEALTHY_FITS), 100);
        conditions.recordFlip(7, HEALTHY_FITS, STALE_FITS, null, 200);
        long revision = changes.latestRevision();

        assertThat(conditions.recordFlip(7, HEALTHY_FITS, STALE_UNFIT, "disk", 300)).isFalse();
        assertThat(conditions.recordFlip(9, HEALTHY_FITS, STALE_FITS, null, 300)).as("a node never seen").isFalse();

        assertThat(changes.latestRevision()).isEqualTo(revision);
        assertThat(conditions.findAll()).isEqualTo(Map.of(7L, STALE_FITS));
    }

    @Test
    void ofConcurrentRecordersOfOneFlipOneWritesItAndItIsRecordedOnce() {
        conditions.recordFirst(Map.of(7L, HEALTHY_FITS), 100);

        List<Boolean> written = Concurrently.run(16, i -> conditions.recordFlip(7, HEALTHY_FITS, STALE_FITS, null,
                200 + i));
        List<Integer> firsts = Concurrently.run(16, i -> conditions.recordFirst(Map.of(8L, STALE_FITS), 300 + i));

        assertThat(written).containsOnlyOnce(true);
        assertThat(firsts).containsOnlyOnce(1);
        List<List<Object>> entries = recorded();
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).subList(0, 3)).isEqualTo(Arrays.asList("node-stale", null, 7L));
        assertThat(conditions.findAll()).isEqualTo(Map.of(7L, STALE_FITS, 8L, STALE_FITS));
    }

    @Test
    void everyAppReportIsRecorded() {
        runs.save(new AppRun("app-1", 7L, "job-1", "RUNNING", null, null, 100L));
        runs.save(new AppRun("app-1", 7L, "job-1", "SUCCEEDED", null, 101L, 101L));

        assertThat(recorded()).containsExactly(
                entry("app-reported", "app-1", 7L, null, null, null, 100L),
                entry("app-reported", "app-1", 7L, null, null, null, 101L));
    }

    @Test
    void concurrentChangesGetContiguousIncreasingRevisionsEachOnce() {
        Concurrently.run(64, i -> placements.placeIfAbsent("app-" + i, 1 + i % 3, 1_000L));

        List<ChangeEntry> entries = changes.after(revisionAtStart, ChangeFeed.MAX_LIMIT);
        assertThat(entries).extracting(ChangeEntry::revision)
                .containsExactlyElementsOf(LongStream.rangeClosed(revisionAtStart + 1, revisionAtStart + 64).boxed().toList());
        assertThat(entries).extracting(ChangeEntry::appId).doesNotHaveDuplicates().hasSize(64);
        assertThat(changes.latestRevision()).isEqualTo(revisionAtStart + 64);
    }

    @Test
    void theLogIsReadInPagesByRevision() {
        for (int i = 0; i < 7; i++) {
            placements.placeIfAbsent("app-" + i, 1, i);
        }

        List<ChangeEntry> first = changes.after(revisionAtStart, 3);
        List<ChangeEntry> second = changes.after(first.get(2).revision(), 3);
        List<ChangeEntry> last = changes.after(second.get(2).revision(), 3);

        assertThat(first).extracting(ChangeEntry::appId).containsExactly("app-0", "app-1", "app-2");
        assertThat(second).extracting(ChangeEntry::appId).containsExactly("app-3", "app-4", "app-5");
        assertThat(last).extracting(ChangeEntry::appId).containsExactly("app-6");
        assertThat(changes.after(last.get(0).revision(), 3)).isEmpty();
        assertThat(changes.oldestAvailable()).isLessThanOrEqualTo(revisionAtStart + 1);
    }

    @Test
    void heartbeatForANewNameCreatesAnEnabledNodeWithDefaultWeight() {
        RuntimeNode node = nodes.recordHeartbeat(heartbeat("rt-node-01", 71.5, 123_456_789L, 12), NewNodes.OPEN, T0).node();

        assertThat(node.id()).isPositive();
        assertThat(node).isEqualTo(new RuntimeNode(node.id(), "rt-node-01", "http://10.0.0.12:7005",
                "https://gw.example.com", true, RuntimeNode.DEFAULT_WEIGHT, T0, 71.5, 123_456_789L, 12));
        assertThat(nodes.findByName("rt-node-01")).contains(node);
        assertThat(nodes.findById(node.id())).contains(node);
    }

    @Test
    void heartbeatOfAKnownNameReplacesUrlsMetricsAndTimeAndKeepsTheId() {
        RuntimeNode first = nodes.recordHeartbeat(heartbeat("rt-node-01", 71.5, 1L, 1), NewNodes.OPEN, T0).node();
        Instant later = T0.plusSeconds(60);

        RuntimeNode second = nodes.recordHeartbeat(new Heartbeat("rt-node-01", "http://10.0.0.99:7005",
                "https://gw2.example.com", 10.25, 2L, 3), NewNodes.OPEN, later).node();

        assertThat(second).isEqualTo(new RuntimeNode(first.id(), "rt-node-01", "http://10.0.0.99:7005",
                "https://gw2.example.com", true, RuntimeNode.DEFAULT_WEIGHT, later, 10.25, 2L, 3));
        assertThat(nodes.findAll()).containsExactly(second);
    }

    @Test
    void heartbeatMetricsLeftOutBecomeNull() {
        nodes.recordHeartbeat(heartbeat("rt-node-01", 71.5, 123L, 12), NewNodes.OPEN, T0);

        RuntimeNode node = nodes.recordHeartbeat(heartbeat("rt-node-01", null, null, null),
                NewNodes.OPEN, T0.plusSeconds(1)).node();

        assertThat(node.diskFreePct()).isNull();
        assertThat(node.diskFreeBytes()).isNull();
        assertThat(node.containerCount()).isNull();
        assertThat(nodes.findByName("rt-node-01")).contains(node);
    }

    @Test
    void heartbeatNeverChangesEnabledOrWeight() {
        nodes.upsert(new NodeUpsert("rt-node-01", "http://a:1", "http://b:2", false, 7), NewNodes.MAX, T0);

        RuntimeNode node = nodes.recordHeartbeat(heartbeat("rt-node-01", 50.0, 1L, 1),
                NewNodes.OPEN, T0.plusSeconds(1)).node();

        assertThat(node.enabled()).isFalse();
        assertThat(node.weight()).isEqualTo(7);
        assertThat(node.lastHeartbeatAt()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void fiftyConcurrentHeartbeatsForOneNewNameLeaveOneNode() {
        List<RuntimeNode> results = Concurrently.run(50,
                i -> nodes.recordHeartbeat(heartbeat("rt-node-new", (double) i, (long) i, i),
                        NewNodes.OPEN, T0.plusMillis(i)).node());

        assertThat(results).extracting(RuntimeNode::id).containsOnly(results.get(0).id());
        // Each call returns the row as its own write left it.
        IntStream.range(0, results.size()).forEach(i -> assertThat(results.get(i).containerCount()).isEqualTo(i));
        List<RuntimeNode> all = nodes.findAll();
        assertThat(all).hasSize(1);
        RuntimeNode stored = all.get(0);
        assertThat(stored.enabled()).isTrue();
        assertThat(stored.weight()).isEqualTo(RuntimeNode.DEFAULT_WEIGHT);
        // Last writer wins as a whole: the stored metrics all come from one of the heartbeats.
        int winner = stored.containerCount();
        assertThat(stored.diskFreePct()).isEqualTo((double) winner);
        assertThat(stored.diskFreeBytes()).isEqualTo((long) winner);
    }

    @Test
    void concurrentHeartbeatsNeverUndoAConcurrentDisable() {
        nodes.recordHeartbeat(heartbeat("rt-node-01", null, null, null), NewNodes.OPEN, T0);

        Concurrently.run(40, i -> i == 20
                ? nodes.setEnabled("rt-node-01", false, T0)
                : nodes.recordHeartbeat(heartbeat("rt-node-01", null, null, i),
                        NewNodes.OPEN, T0.plusMillis(i)).node() != null);

        assertThat(nodes.findByName("rt-node-01")).get().extracting(RuntimeNode::enabled).isEqualTo(false);
    }

    @Test
    void heartbeatsOfAKnownNodeDoNotUseUpNodeIds() {
        RuntimeNode first = nodes.recordHeartbeat(heartbeat("rt-node-01", null, null, null), NewNodes.OPEN, T0).node();
        for (int i = 1; i <= 10; i++) {
            nodes.recordHeartbeat(heartbeat("rt-node-01", null, null, i), NewNodes.OPEN, T0.plusSeconds(i));
        }

        RuntimeNode second = nodes.recordHeartbeat(heartbeat("rt-node-02", null, null, null),
                NewNodes.OPEN, T0.plusSeconds(11)).node();

        assertThat(second.id()).isEqualTo(first.id() + 1);
    }

    @Test
    void nodeNamesAreCaseSensitive() {
        RuntimeNode upper = nodes.recordHeartbeat(heartbeat("Node-1", null, null, null), NewNodes.OPEN, T0).node();
        RuntimeNode lower = nodes.recordHeartbeat(heartbeat("node-1", null, null, null), NewNodes.OPEN, T0).node();

        assertThat(upper.id()).isNotEqualTo(lower.id());
        assertThat(nodes.findByName("Node-1")).contains(upper);
        assertThat(nodes.findByName("node-1")).contains(lower);
        assertThat(nodes.findByName("NODE-1")).isEmpty();
    }

    @Test
    void pagesAfterAnIdHoldTheNextNodesInIdOrderAndNothingAfterTheLast() {
        List<RuntimeNode> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(nodes.upsert(new NodeUpsert("rt-node-" + i, "http://a:1", "http://b:2", null, null),
                    NewNodes.MAX, T0));
        }

        assertThat(nodes.findPageAfter(0, 2)).containsExactly(created.get(0), created.get(1));
        assertThat(nodes.findPageAfter(created.get(1).id(), 2)).containsExactly(created.get(2), created.get(3));
        assertThat(nodes.findPageAfter(created.get(3).id(), 2)).containsExactly(created.get(4));
        assertThat(nodes.findPageAfter(created.get(4).id(), 2)).isEmpty();
        assertThat(nodes.findPageAfter(created.get(0).id(), 100)).isEqualTo(created.subList(1, 5));
    }

    @Test
    void findByIdsReturnsTheNodesOfTheIdsThatExist() {
        RuntimeNode a = nodes.upsert(new NodeUpsert("rt-a", "http://a:1", "http://b:2", null, null), NewNodes.MAX, T0);
        RuntimeNode b = nodes.upsert(new NodeUpsert("rt-b", "http://a:1", "http://b:2", false, 3), NewNodes.MAX, T0);

        assertThat(nodes.findByIds(List.of(b.id(), a.id(), b.id() + 100))).containsExactlyInAnyOrder(a, b);
        assertThat(nodes.findByIds(List.of())).isEmpty();
    }

    @Test
    void countByNodesCountsTheGivenNodesOnlyAndLeavesOutThoseWithoutApps() {
        placements.placeIfAbsent("app-1", 1, 1);
        placements.placeIfAbsent("app-2", 1, 1);
        placements.placeIfAbsent("app-3", 2, 1);
        placements.placeIfAbsent("app-4", 3, 1);

        assertThat(placements.countByNodes(List.of(1L, 3L, 9L))).isEqualTo(Map.of(1L, 2L, 3L, 1L));
        assertThat(placements.countByNodes(List.of())).isEmpty();
    }

    @Test
    void upsertCreatesAnEnabledNodeWithDefaultWeightAndNoHeartbeat() {
        RuntimeNode node = nodes.upsert(new NodeUpsert("rt-node-01", "http://a:1", "http://b:2", null, null),
                NewNodes.MAX, T0);

        assertThat(node).isEqualTo(new RuntimeNode(node.id(), "rt-node-01", "http://a:1", "http://b:2", true,
                RuntimeNode.DEFAULT_WEIGHT, null, null, null, null));
        assertThat(nodes.findById(node.id())).contains(node);
    }

    @Test
    void upsertCreatesWithTheGivenEnabledAndWeight() {
        RuntimeNode node = nodes.upsert(new NodeUpsert("rt-node-01", "http://a:1", "http://b:2", false, 0),
                NewNodes.MAX, T0);

        assertThat(node.enabled()).isFalse();
        assertThat(node.weight()).isZero();
    }

    @Test
    void upsertOfAKnownNameReplacesUrlsKeepsWhatIsLeftOutAndNeverTouchesTheHeartbeat() {
        RuntimeNode beat = nodes.recordHeartbeat(heartbeat("rt-node-01", 71.5, 5L, 6), NewNodes.OPEN, T0).node();
        nodes.setEnabled("rt-node-01", false, T0);

        RuntimeNode node = nodes.upsert(new NodeUpsert("rt-node-01", "http://new:1", "http://new:2", null, null),
                NewNodes.MAX, T0.plusSeconds(30));

        assertThat(node).isEqualTo(new RuntimeNode(beat.id(), "rt-node-01", "http://new:1", "http://new:2", false,
                RuntimeNode.DEFAULT_WEIGHT, T0, 71.5, 5L, 6));
    }

    @Test
    void upsertOfAKnownNameSetsEnabledAndWeightWhenGiven() {
        RuntimeNode created = nodes.upsert(new NodeUpsert("rt-node-01", "http://a:1", "http://b:2", false, 3),
                NewNodes.MAX, T0);

        RuntimeNode node = nodes.upsert(new NodeUpsert("rt-node-01", "http://a:1", "http://b:2", true, 10_000),
                NewNodes.MAX, T0);

        assertThat(node.id()).isEqualTo(created.id());
        assertThat(node.enabled()).isTrue();
        assertThat(node.weight()).isEqualTo(10_000);
    }

    @Test
    void concurrentUpsertsForOneNewNameLeaveOneNode() {
        List<RuntimeNode> results = Concurrently.run(20,
                i -> nodes.upsert(new NodeUpsert("rt-node-01", "http://a:" + i, "http://b:2", null, i), NewNodes.MAX, T0));

        assertThat(results).extracting(RuntimeNode::id).containsOnly(results.get(0).id());
        assertThat(nodes.findAll()).hasSize(1);
    }

    @Test
    void aHeartbeatSaysWhetherItCreatedTheNodeAndWhichUrlsItReplaced() {
        RecordedHeartbeat created = nodes.recordHeartbeat(heartbeat("rt-node-01", null, null, null), NewNodes.OPEN, T0);
        RecordedHeartbeat same = nodes.recordHeartbeat(heartbeat("rt-node-01", 5.0, null, null), NewNodes.OPEN,
                T0.plusSeconds(1));
        RecordedHeartbeat moved = nodes.recordHeartbeat(new Heartbeat("rt-node-01", "http://10.0.0.99:7005",
                "https://gw.example.com", 5.0, null, null), NewNodes.OPEN, T0.plusSeconds(2));

        assertThat(created.created()).isTrue();
        assertThat(created.urlsChanged()).isFalse();
        assertThat(same).isEqualTo(RecordedHeartbeat.updated(same.node(), "http://10.0.0.12:7005", "https://gw.example.com"));
        assertThat(same.urlsChanged()).isFalse();
        assertThat(same.node().diskFreePct()).isEqualTo(5.0);
        assertThat(moved).isEqualTo(RecordedHeartbeat.updated(moved.node(), "http://10.0.0.12:7005", "https://gw.example.com"));
        assertThat(moved.node().agentBaseUrl()).isEqualTo("http://10.0.0.99:7005");
        assertThat(moved.urlsChanged()).isTrue();
        assertThat(nodes.findByName("rt-node-01")).contains(moved.node());
    }

    @Test
    void aHeartbeatAfterAnOperatorChangedTheUrlsReportsTheOperatorsUrlsAsPrevious() {
        nodes.recordHeartbeat(heartbeat("rt-node-01", null, null, null), NewNodes.OPEN, T0);
        nodes.upsert(new NodeUpsert("rt-node-01", "http://ops:1", "http://ops:2", null, null), NewNodes.MAX, T0);

        RecordedHeartbeat recorded = nodes.recordHeartbeat(heartbeat("rt-node-01", null, null, null), NewNodes.OPEN,
                T0.plusSeconds(1));

        assertThat(recorded.previousAgentBaseUrl()).isEqualTo("http://ops:1");
        assertThat(recorded.previousGatewayBaseUrl()).isEqualTo("http://ops:2");
        assertThat(recorded.urlsChanged()).isTrue();
    }

    @Test
    void underApprovalAHeartbeatCreatesTheNodeDisabledAndLaterOnesKeepItSo() {
        NewNodePolicy approval = new NewNodePolicy(false, NewNodes.MAX);

        RecordedHeartbeat created = nodes.recordHeartbeat(heartbeat("rt-node-01", null, null, null), approval, T0);
        RecordedHeartbeat again = nodes.recordHeartbeat(heartbeat("rt-node-01", null, null, null), approval,
                T0.plusSeconds(1));
        nodes.setEnabled("rt-node-01", true, T0.plusSeconds(2));
        RecordedHeartbeat approved = nodes.recordHeartbeat(heartbeat("rt-node-01", null, null, null), approval,
                T0.plusSeconds(3));

        assertThat(created.created()).isTrue();
        assertThat(created.node().enabled()).isFalse();
        assertThat(created.node().lastHeartbeatAt()).isEqualTo(T0);
        assertThat(again.created()).isFalse();
        assertThat(again.node().enabled()).isFalse();
        assertThat(approved.node().enabled()).isTrue();
    }

    @Test
    void aFullStoreRefusesNewNodesWritingNothingAndStillUpdatesKnownOnes() {
        NewNodePolicy threeNodes = new NewNodePolicy(true, 3);
        nodes.recordHeartbeat(heartbeat("rt-node-01", null, null, null), threeNodes, T0);
        nodes.upsert(new NodeUpsert("rt-node-02", "http://a:1", "http://b:2", null, null), 3, T0);
        nodes.recordHeartbeat(heartbeat("rt-node-03", null, null, null), threeNodes, T0);
        List<RuntimeNode> full = nodes.findAll();

        assertThatThrownBy(() -> nodes.recordHeartbeat(heartbeat("rt-node-04", null, null, null), threeNodes, T0))
                .isInstanceOfSatisfying(NodeLimitReached.class, e -> assertThat(e.maxNodes()).isEqualTo(3));
        assertThatThrownBy(() -> nodes.upsert(new NodeUpsert("rt-node-04", "http://a:1", "http://b:2", null, null), 3, T0))
                .isInstanceOf(NodeLimitReached.class);
        assertThat(nodes.findAll()).isEqualTo(full);
        assertThat(nodes.findByName("rt-node-04")).isEmpty();

        assertThat(nodes.recordHeartbeat(heartbeat("rt-node-01", null, null, 7), threeNodes, T0.plusSeconds(1))
                .node().containerCount()).isEqualTo(7);
        assertThat(nodes.upsert(new NodeUpsert("rt-node-02", "http://a:1", "http://b:2", null, 9), 3, T0).weight())
                .isEqualTo(9);
        RuntimeNode next = nodes.recordHeartbeat(heartbeat("rt-node-05", null, null, null), NewNodes.OPEN, T0).node();
        assertThat(next.id()).as("a refused create spends no id").isEqualTo(full.get(2).id() + 1);
    }

    @Test
    void concurrentCreatesOfDifferentNamesNeverPassTheLimit() {
        NewNodePolicy fiveNodes = new NewNodePolicy(true, 5);
        nodes.recordHeartbeat(heartbeat("rt-node-00", null, null, null), fiveNodes, T0);

        List<Boolean> created = Concurrently.run(40, i -> {
            try {
                if (i % 2 == 0) {
                    return nodes.recordHeartbeat(heartbeat("rt-node-" + (i + 1), null, null, null), fiveNodes, T0)
                            .created();
                }
                return nodes.upsert(new NodeUpsert("rt-node-" + (i + 1), "http://a:1", "http://b:2", null, null), 5,
                        T0) != null;
            } catch (NodeLimitReached e) {
                return false;
            }
        });

        assertThat(created).filteredOn(Boolean::booleanValue).hasSize(4);
        assertThat(nodes.findAll()).hasSize(5);
    }

    @Test
    void ofConcurrentHeartbeatsForOneNewNameExactlyOneReportsTheCreate() {
        List<RecordedHeartbeat> results = Concurrently.run(30,
                i -> nodes.recordHeartbeat(heartbeat("rt-node-new", null, null, i), NewNodes.OPEN, T0.plusMillis(i)));

        assertThat(results).filteredOn(RecordedHeartbeat::created).hasSize(1);
        assertThat(results).filteredOn(RecordedHeartbeat::urlsChanged).isEmpty();
        assertThat(nodes.findAll()).hasSize(1);
    }

    @Test
    void setEnabledOfAnUnknownNameReturnsFalseAndCreatesNothing() {
        assertThat(nodes.setEnabled("nobody", true, T0)).isFalse();

        assertThat(nodes.findAll()).isEmpty();
    }

    @Test
    void setEnabledSwitchesAKnownNodeAndKeepsEverythingElse() {
        RuntimeNode beat = nodes.recordHeartbeat(heartbeat("rt-node-01", 1.5, 2L, 3), NewNodes.OPEN, T0).node();

        assertThat(nodes.setEnabled("rt-node-01", false, T0.plusSeconds(5))).isTrue();
        assertThat(nodes.findByName("rt-node-01")).contains(new RuntimeNode(beat.id(), "rt-node-01",
                beat.agentBaseUrl(), beat.gatewayBaseUrl(), false, beat.weight(), T0, 1.5, 2L, 3));
        assertThat(nodes.setEnabled("rt-node-01", false, T0.plusSeconds(6))).isTrue();
        assertThat(nodes.setEnabled("rt-node-01", true, T0.plusSeconds(7))).isTrue();
        assertThat(nodes.findByName("rt-node-01")).get().extracting(RuntimeNode::enabled).isEqualTo(true);
    }

    @Test
    void findAllListsEveryNodeOrderedById() {
        RuntimeNode b = nodes.recordHeartbeat(heartbeat("b-node", null, null, null), NewNodes.OPEN, T0).node();
        RuntimeNode a = nodes.upsert(new NodeUpsert("a-node", "http://a:1", "http://b:2", null, null), NewNodes.MAX, T0);
        RuntimeNode c = nodes.recordHeartbeat(heartbeat("C-node", null, null, null), NewNodes.OPEN, T0).node();

        assertThat(nodes.findAll()).containsExactly(b, a, c);
    }

    @Test
    void unknownNodesAreNotFound() {
        assertThat(nodes.findById(12345)).isEmpty();
        assertThat(nodes.findByName("nobody")).isEmpty();
        assertThat(nodes.findAll()).isEmpty();
    }

    @Test
    void heartbeatTimesRoundTripAtMillisecondPrecisionInUtc() {
        Instant[] times = {Instant.parse("2026-03-29T01:30:00.001Z"), Instant.parse("2026-10-25T00:59:59.999Z"),
                Instant.parse("1999-12-31T23:59:59.500Z"), T0};
        for (Instant time : times) {
            nodes.recordHeartbeat(heartbeat("rt-node-01", null, null, null), NewNodes.OPEN, time);

            assertThat(nodes.findByName("rt-node-01")).get().extracting(RuntimeNode::lastHeartbeatAt).isEqualTo(time);
        }
    }

    @Test
    void metricsRoundTripExactly() {
        RuntimeNode node = nodes.recordHeartbeat(heartbeat("rt-node-01", 99.99999, Long.MAX_VALUE, Integer.MAX_VALUE),
                NewNodes.OPEN,
                T0).node();

        assertThat(nodes.findById(node.id())).get().isEqualTo(node);
        assertThat(node.diskFreePct()).isEqualTo(99.99999);
        assertThat(node.diskFreeBytes()).isEqualTo(Long.MAX_VALUE);
        assertThat(node.containerCount()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void placeIfAbsentStoresTheFirstPlacementAndSaysItCreatedIt() {
        PlaceResult result = placements.placeIfAbsent("app-1", 7, 1_000L);

        assertThat(result).isEqualTo(new PlaceResult(new Placement("app-1", 7, 1_000L), true));
        assertThat(placements.find("app-1")).contains(new Placement("app-1", 7, 1_000L));
    }

    @Test
    void placeIfAbsentReturnsTheExistingPlacementUnchanged() {
        placements.placeIfAbsent("app-1", 7, 1_000L);

        PlaceResult result = placements.placeIfAbsent("app-1", 8, 2_000L);

        assertThat(result).isEqualTo(new PlaceResult(new Placement("app-1", 7, 1_000L), false));
        assertThat(placements.find("app-1")).contains(new Placement("app-1", 7, 1_000L));
    }

    @Test
    void sixtyFourConcurrentPlaceIfAbsentForOneAppStoreOneRowAndAllReturnIt() {
        List<PlaceResult> results = Concurrently.run(64, i -> placements.placeIfAbsent("app-race", 100 + i, 1_000L + i));

        Placement stored = placements.find("app-race").orElseThrow();
        assertThat(results).extracting(PlaceResult::placement).containsOnly(stored);
        assertThat(results).filteredOn(PlaceResult::created).hasSize(1);
        assertThat(placements.countAllByNode()).isEqualTo(Map.of(stored.nodeId(), 1L));
    }

    @Test
    void appIdsAreCaseSensitive() {
        assertThat(placements.placeIfAbsent("App1", 1, 1L).created()).isTrue();
        assertThat(placements.placeIfAbsent("app1", 2, 2L).created()).isTrue();

        assertThat(placements.find("App1")).contains(new Placement("App1", 1, 1L));
        assertThat(placements.find("app1")).contains(new Placement("app1", 2, 2L));
        assertThat(placements.find("APP1")).isEmpty();
    }

    @Test
    void touchRefreshesLastActiveAtOfAnExistingPlacementOnly() {
        placements.placeIfAbsent("app-1", 7, 1_000L);

        placements.touch("app-1", 5_000L);
        placements.touch("app-unknown", 5_000L);

        assertThat(placements.find("app-1")).contains(new Placement("app-1", 7, 5_000L));
        assertThat(placements.find("app-unknown")).isEmpty();
    }

    @Test
    void assignCreatesAMissingPlacement() {
        placements.assign("app-1", 7, 1_000L);

        assertThat(placements.find("app-1")).contains(new Placement("app-1", 7, 1_000L));
    }

    @Test
    void assignMovesAnExistingPlacementAndKeepsItsLastActiveAt() {
        placements.placeIfAbsent("app-1", 7, 1_000L);

        placements.assign("app-1", 8, 9_000L);

        assertThat(placements.find("app-1")).contains(new Placement("app-1", 8, 1_000L));
        assertThat(placements.countByNode(7)).isZero();
        assertThat(placements.countByNode(8)).isEqualTo(1);
    }

    @Test
    void moveAppsMovesOnlyAppsStillOnTheSourceAndCountsPerTarget() {
        placements.placeIfAbsent("a1", 1, 10L);
        placements.placeIfAbsent("a2", 1, 20L);
        placements.placeIfAbsent("a3", 1, 30L);
        placements.placeIfAbsent("elsewhere", 5, 40L);
        Map<String, Long> plan = new LinkedHashMap<>();
        plan.put("a1", 2L);
        plan.put("a2", 3L);
        plan.put("a3", 2L);
        plan.put("elsewhere", 2L);
        plan.put("unknown", 2L);

        Map<Long, Integer> moved = placements.moveApps(1, plan, 99L, MoveReason.DRAIN);

        assertThat(moved).isEqualTo(Map.of(2L, 2, 3L, 1));
        assertThat(placements.find("a1")).contains(new Placement("a1", 2, 10L));
        assertThat(placements.find("a2")).contains(new Placement("a2", 3, 20L));
        assertThat(placements.find("a3")).contains(new Placement("a3", 2, 30L));
        assertThat(placements.find("elsewhere")).contains(new Placement("elsewhere", 5, 40L));
        assertThat(placements.find("unknown")).isEmpty();
        assertThat(placements.countAllByNode()).isEqualTo(Map.of(2L, 2L, 3L, 1L, 5L, 1L));
    }

    @Test
    void moveAppsWithNothingToMoveMovesNothing() {
        placements.placeIfAbsent("a1", 1, 10L);

        assertThat(placements.moveApps(1, Map.of(), 99L, MoveReason.DRAIN)).isEmpty();
        assertThat(placements.moveApps(1, Map.of("a1", 1L), 99L, MoveReason.DRAIN)).isEmpty();
        assertThat(placements.moveApps(4, Map.of("a1", 2L), 99L, MoveReason.DRAIN)).isEmpty();
        assertThat(placements.find("a1")).contains(new Placement("a1", 1, 10L));
    }

    @Test
    void concurrentMoveAppsOverTheSameAppsMoveEachOnce() {
        int apps = 200;
        Map<String, Long> toNode2 = new LinkedHashMap<>();
        Map<String, Long> toNode3 = new LinkedHashMap<>();
        for (int i = 0; i < apps; i++) {
            String appId = String.format("app-%04d", i);
            placements.placeIfAbsent(appId, 1, i);
            toNode2.put(appId, 2L);
            toNode3.put(appId, 3L);
        }

        List<Map<Long, Integer>> results = Concurrently.run(8,
                i -> placements.moveApps(1, i % 2 == 0 ? toNode2 : toNode3, 1_000L, MoveReason.DRAIN));

        int movedTo2 = results.stream().mapToInt(r -> r.getOrDefault(2L, 0)).sum();
        int movedTo3 = results.stream().mapToInt(r -> r.getOrDefault(3L, 0)).sum();
        assertThat(movedTo2 + movedTo3).isEqualTo(apps);
        assertThat(placements.countByNode(1)).isZero();
        assertThat(placements.countByNode(2)).isEqualTo(movedTo2);
        assertThat(placements.countByNode(3)).isEqualTo(movedTo3);
    }

    @Test
    void moveFirstAppsMovesTheSourcesFirstAppsInCodePointOrderAndKeepsLastActiveAt() {
        List<String> appIds = List.of("b", "A", "a", "B", "App1", "app1", "_x", "0", "a.b", "Z9");
        appIds.forEach(appId -> placements.placeIfAbsent(appId, 1, appId.length()));
        placements.placeIfAbsent("0-elsewhere", 5, 40L);
        List<String> expected = appIds.stream().sorted().toList();

        assertThat(placements.moveFirstApps(1, 2, 4, 99L, MoveReason.DRAIN)).isEqualTo(4);

        assertThat(appIdsOf(placements.findByNode(2, 0, 100))).containsExactlyElementsOf(expected.subList(0, 4));
        assertThat(appIdsOf(placements.findByNode(1, 0, 100))).containsExactlyElementsOf(expected.subList(4, 10));
        assertThat(placements.find("App1")).contains(new Placement("App1", 2, 4L));
        assertThat(placements.find("0-elsewhere")).contains(new Placement("0-elsewhere", 5, 40L));
        assertThat(placements.moveFirstApps(1, 3, 100, 99L, MoveReason.DRAIN)).isEqualTo(6);
        assertThat(placements.countAllByNode()).isEqualTo(Map.of(2L, 4L, 3L, 6L, 5L, 1L));
    }

    @Test
    void moveFirstAppsWithNothingToMoveMovesNothing() {
        placements.placeIfAbsent("a1", 1, 10L);

        assertThat(placements.moveFirstApps(4, 2, 10, 99L, MoveReason.DRAIN)).isZero();
        assertThat(placements.moveFirstApps(1, 1, 10, 99L, MoveReason.DRAIN)).isZero();
        assertThat(placements.find("a1")).contains(new Placement("a1", 1, 10L));
    }

    @Test
    void concurrentMoveFirstAppsMoveEachAppOnceAndNoCallMoreThanItsLimit() {
        int apps = 300;
        for (int i = 0; i < apps; i++) {
            placements.placeIfAbsent(String.format("app-%04d", i), 1, i);
        }

        List<Integer> moved = Concurrently.run(8, i -> placements.moveFirstApps(1, 2 + i % 2, 50, 1_000L, MoveReason.DRAIN));

        assertThat(moved).allSatisfy(n -> assertThat(n).isBetween(0, 50));
        int movedTo2 = moved.get(0) + moved.get(2) + moved.get(4) + moved.get(6);
        int movedTo3 = moved.get(1) + moved.get(3) + moved.get(5) + moved.get(7);
        assertThat(placements.countByNode(2)).isEqualTo(movedTo2);
        assertThat(placements.countByNode(3)).isEqualTo(movedTo3);
        assertThat(placements.countByNode(1)).isEqualTo(apps - movedTo2 - movedTo3);
    }

    @Test
    void firstAppIdsListsTheNodesFirstAppIdsInCodePointOrder() {
        List<String> appIds = List.of("b", "A", "a", "B", "App1", "app1", "_x", "0");
        appIds.forEach(appId -> placements.placeIfAbsent(appId, 1, 1L));
        placements.placeIfAbsent("1-elsewhere", 2, 1L);
        List<String> expected = appIds.stream().sorted().toList();

        assertThat(placements.firstAppIds(1, 3)).containsExactlyElementsOf(expected.subList(0, 3));
        assertThat(placements.firstAppIds(1, 100)).containsExactlyElementsOf(expected);
        assertThat(placements.firstAppIds(9, 10)).isEmpty();
    }

    @Test
    void countsFollowPlacementsAndMovesAndLeaveOutEmptyNodes() {
        placements.placeIfAbsent("a1", 1, 1L);
        placements.placeIfAbsent("a2", 1, 1L);
        placements.placeIfAbsent("b1", 2, 1L);

        assertThat(placements.countByNode(1)).isEqualTo(2);
        assertThat(placements.countByNode(2)).isEqualTo(1);
        assertThat(placements.countByNode(3)).isZero();
        assertThat(placements.countAllByNode()).isEqualTo(Map.of(1L, 2L, 2L, 1L));

        placements.moveApps(2, Map.of("b1", 1L), 2L, MoveReason.DRAIN);

        assertThat(placements.countByNode(2)).isZero();
        assertThat(placements.countAllByNode()).isEqualTo(Map.of(1L, 3L));
    }

    @Test
    void findByNodePagesInCodePointOrder() {
        List<String> appIds = List.of("b", "A", "a", "B", "App1", "app1", "_x", "0", "a.b", "a-b", "a:b", "Z9",
                "a_b", "app10", "app2");
        appIds.forEach(appId -> placements.placeIfAbsent(appId, 1, 1L));
        placements.placeIfAbsent("other-node", 2, 1L);
        List<String> expected = appIds.stream().sorted().toList();
        assertThat(expected).startsWith("0", "A", "App1", "B", "Z9", "_x", "a");

        List<String> paged = new ArrayList<>();
        for (int offset = 0; offset < appIds.size(); offset += 4) {
            paged.addAll(appIdsOf(placements.findByNode(1, offset, 4)));
        }

        assertThat(paged).containsExactlyElementsOf(expected);
        assertThat(appIdsOf(placements.findByNode(1, 0, 2000))).containsExactlyElementsOf(expected);
        assertThat(appIdsOf(placements.findByNode(1, 3, 1))).containsExactly(expected.get(3));
        assertThat(placements.findByNode(1, appIds.size(), 10)).isEmpty();
        assertThat(placements.findByNode(9, 0, 10)).isEmpty();
        assertThat(placements.findByNode(1, 0, 1)).containsExactly(new Placement("0", 1, 1L));
    }

    @Test
    void findByNodeAfterContinuesAfterTheGivenAppIdInCodePointOrder() {
        List<String> appIds = List.of("b", "A", "a", "B", "App1", "app1", "a.b", "a-b", "a:b");
        appIds.forEach(appId -> placements.placeIfAbsent(appId, 1, 1L));
        placements.placeIfAbsent("Aa", 2, 1L);
        List<String> expected = appIds.stream().sorted().toList();

        List<String> paged = new ArrayList<>();
        List<Placement> page = placements.findByNode(1, 0, 2);
        while (!page.isEmpty()) {
            paged.addAll(appIdsOf(page));
            page = placements.findByNodeAfter(1, page.get(page.size() - 1).appId(), 2);
        }

        assertThat(paged).containsExactlyElementsOf(expected);
        // The cursor need not exist: "App" sorts after "A" and before "App1".
        assertThat(appIdsOf(placements.findByNodeAfter(1, "App", 2))).containsExactly("App1", "B");
        assertThat(appIdsOf(placements.findByNodeAfter(1, "B", 1))).containsExactly("a");
        assertThat(placements.findByNodeAfter(1, "b", 10)).isEmpty();
    }

    @Test
    void placementsOfManyAppsKeepTheirOwnNodes() {
        Map<String, Long> expected = new HashMap<>();
        IntStream.range(0, 50).forEach(i -> {
            String appId = "app-" + i;
            placements.placeIfAbsent(appId, i % 3, i);
            expected.put(appId, (long) (i % 3));
        });

        Set<String> seen = new HashSet<>();
        for (long node = 0; node < 3; node++) {
            for (Placement placement : placements.findByNode(node, 0, 100)) {
                assertThat(placement.nodeId()).isEqualTo(node);
                assertThat(expected.get(placement.appId())).isEqualTo(node);
                seen.add(placement.appId());
            }
        }
        assertThat(seen).isEqualTo(expected.keySet());
        assertThat(placements.countAllByNode().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(50);
    }

    @Test
    void everyMoveAndNoFirstPlacementPutsTheAppInTheRedeployBacklog() {
        placements.placeIfAbsent("a1", 1, 10L);
        placements.placeIfAbsent("a2", 1, 10L);
        placements.placeIfAbsent("a3", 1, 10L);
        placements.assign("fresh", 1, 11L);
        assertThat(placements.countPendingRedeploys()).isZero();

        placements.assign("a1", 2, 13L);
        placements.moveApps(1, Map.of("a2", 3L), 15L, MoveReason.DRAIN);
        placements.moveFirstApps(1, 4, 1, 16L, MoveReason.FAILOVER);

        assertThat(placements.findPendingRedeploys(null, 10)).containsExactly(
                new PendingRedeploy("a1", 1, 2, 13L, "reassign"),
                new PendingRedeploy("a2", 1, 3, 15L, "drain"),
                new PendingRedeploy("a3", 1, 4, 16L, "failover"));
        assertThat(placements.countPendingRedeploys()).isEqualTo(3);
        assertThat(placements.findPendingRedeploy("a2")).contains(new PendingRedeploy("a2", 1, 3, 15L, "drain"));
        assertThat(placements.findPendingRedeploy("fresh")).isEmpty();
    }

    @Test
    void aFurtherMoveBeforeTheRedeployKeepsWhereTheAppCameFromAndANoOpAssignChangesNothing() {
        placements.placeIfAbsent("a1", 1, 10L);
        placements.assign("a1", 2, 20L);
        placements.moveApps(2, Map.of("a1", 3L), 30L, MoveReason.DRAIN);
        placements.assign("a1", 3, 40L);

        assertThat(placements.findPendingRedeploys(null, 10)).containsExactly(
                new PendingRedeploy("a1", 1, 3, 30L, "drain"));
    }

    @Test
    void aRedeployClearsTheAppOnlyOnTheNodeItMovedTo() {
        placements.placeIfAbsent("a1", 1, 10L);
        placements.assign("a1", 2, 20L);

        placements.redeployed("a1", 1);
        placements.redeployed("unknown", 2);
        assertThat(placements.findPendingRedeploy("a1")).contains(new PendingRedeploy("a1", 1, 2, 20L, "reassign"));
        assertThat(placements.findPendingRedeploy("unknown")).isEmpty();

        placements.redeployed("a1", 2);
        assertThat(placements.findPendingRedeploy("a1")).isEmpty();
        assertThat(placements.countPendingRedeploys()).isZero();

        placements.moveFirstApps(2, 5, 10, 30L, MoveReason.DRAIN);
        assertThat(placements.findPendingRedeploy("a1")).contains(new PendingRedeploy("a1", 2, 5, 30L, "drain"));
    }

    @Test
    void theRedeployBacklogIsPagedInCodePointOrder() {
        List<String> appIds = List.of("b", "A", "a", "B", "_x", "0", "a.b", "Z9");
        appIds.forEach(appId -> placements.placeIfAbsent(appId, 1, 1L));
        placements.moveFirstApps(1, 2, 100, 5L, MoveReason.DRAIN);
        List<String> expected = appIds.stream().sorted().toList();

        List<PendingRedeploy> first = placements.findPendingRedeploys(null, 3);
        List<PendingRedeploy> rest = placements.findPendingRedeploys(first.get(2).appId(), 100);

        assertThat(first).extracting(PendingRedeploy::appId).containsExactlyElementsOf(expected.subList(0, 3));
        assertThat(rest).extracting(PendingRedeploy::appId).containsExactlyElementsOf(expected.subList(3, 8));
        assertThat(placements.findPendingRedeploys(expected.get(7), 100)).isEmpty();
    }

    @Test
    void concurrentDrainsOfMoreAppsThanOneInsertHoldsPutEachMovedAppInTheBacklogOnce() {
        int apps = 1_100;
        for (int i = 0; i < apps; i++) {
            placements.placeIfAbsent(String.format("app-%04d", i), 1, i);
        }

        List<Integer> moved = Concurrently.run(4, i -> placements.moveFirstApps(1, 2 + i, apps, 1_000L,
                MoveReason.DRAIN));

        assertThat(moved.stream().mapToInt(Integer::intValue).sum()).isEqualTo(apps);
        assertThat(placements.countPendingRedeploys()).isEqualTo(apps);
        List<PendingRedeploy> all = placements.findPendingRedeploys(null, 2 * apps);
        assertThat(all).hasSize(apps).allSatisfy(pending -> {
            assertThat(pending.fromNodeId()).isEqualTo(1);
            assertThat(placements.find(pending.appId())).map(Placement::nodeId).contains(pending.toNodeId());
        });
    }

    @Test
    void saveCreatesTheRunAndReturnsIt() {
        AppRun run = new AppRun("app-1", 7L, "job-1", "SUCCEEDED", null, 1_000L, 1_000L);

        assertThat(runs.save(run)).isEqualTo(run);
        assertThat(runs.find("app-1")).contains(run);
        assertThat(runs.find("app-2")).isEmpty();
    }

    @Test
    void saveKeepsTheStoredLastDeployedAtWhenTheNewRunHasNone() {
        runs.save(new AppRun("app-1", 7L, "job-1", "SUCCEEDED", null, 1_000L, 1_000L));

        AppRun saved = runs.save(new AppRun("app-1", null, "job-2", "FAILED", "boom", null, 2_000L));

        AppRun expected = new AppRun("app-1", null, "job-2", "FAILED", "boom", 1_000L, 2_000L);
        assertThat(saved).isEqualTo(expected);
        assertThat(runs.find("app-1")).contains(expected);
    }

    @Test
    void saveReplacesEveryFieldIncludingLastDeployedAtWhenGiven() {
        runs.save(new AppRun("app-1", 7L, "job-1", "FAILED", "boom", null, 1_000L));

        AppRun next = new AppRun("app-1", 8L, null, "SUCCEEDED", null, 3_000L, 3_000L);

        assertThat(runs.save(next)).isEqualTo(next);
        assertThat(runs.find("app-1")).contains(next);
    }

    @Test
    void saveStoresAFourThousandCharacterErrorOfAnyScript() {
        String error = "部署失败 🚀 é ".repeat(400).substring(0, 4_000);
        assertThat(error).hasSize(4_000);

        runs.save(new AppRun("app-1", 7L, "job-1", "FAILED", error, null, 1_000L));

        assertThat(runs.find("app-1")).get().extracting(AppRun::lastError).isEqualTo(error);
    }

    @Test
    void concurrentSavesForOneAppLeaveOneRowEqualToOneOfThem() {
        List<AppRun> saved = Concurrently.run(20, i -> runs.save(new AppRun("app-1", (long) i, "job-" + i,
                "RUNNING", "error-" + i, i % 2 == 0 ? 1_000L + i : null, 2_000L + i)));

        AppRun stored = runs.find("app-1").orElseThrow();
        int winner = Integer.parseInt(stored.lastJobId().substring("job-".length()));
        assertThat(stored.nodeId()).isEqualTo(winner);
        assertThat(stored.lastError()).isEqualTo("error-" + winner);
        assertThat(stored.lastActiveAt()).isEqualTo(2_000L + winner);
        IntStream.range(0, saved.size()).forEach(i -> assertThat(saved.get(i).lastJobId()).isEqualTo("job-" + i));
    }

    @Test
    void appendGivesEachEntryAHigherIdThanAnyBeforeAndStoresTheRestAsGiven() {
        // The id an entry arrives with is ignored; these two are never ids a store hands out.
        AuditEntry first = audit.append(auditEntry(-7, "upsert", "?name=rt-1"));
        AuditEntry second = audit.append(auditEntry(Long.MAX_VALUE, "drain", "?name=rt-1"));
        AuditEntry third = audit.append(auditEntry(0, "token", null));

        assertThat(first.id()).isPositive();
        assertThat(second.id()).isGreaterThan(first.id()).isNotEqualTo(Long.MAX_VALUE);
        assertThat(third.id()).isGreaterThan(second.id());
        assertThat(first).isEqualTo(withId(auditEntry(-7, "upsert", "?name=rt-1"), first.id()));
        assertThat(audit.findBefore(null, 10)).containsExactly(third, second, first);
    }

    @Test
    void anEmptyTrailHasNoEntries() {
        assertThat(audit.findBefore(null, 10)).isEmpty();
        assertThat(audit.findBefore(Long.MAX_VALUE, 10)).isEmpty();
    }

    @Test
    void findBeforeNullReadsUpToTheLimitNewestFirst() {
        List<AuditEntry> appended = appendAuditEntries(5);

        assertThat(audit.findBefore(null, 1)).containsExactly(appended.get(4));
        assertThat(audit.findBefore(null, 3)).containsExactly(appended.get(4), appended.get(3), appended.get(2));
        assertThat(audit.findBefore(null, 5)).containsExactlyElementsOf(newestFirst(appended));
        // The service asks for one more than the largest page (500) to learn whether an older page exists.
        assertThat(audit.findBefore(null, 501)).containsExactlyElementsOf(newestFirst(appended));
    }

    @Test
    void pagesBeforeTheLastIdOfEachPageGoBackThroughEveryEntryOnceAndEndEmpty() {
        List<AuditEntry> appended = appendAuditEntries(7);

        List<Integer> sizes = new ArrayList<>();
        List<AuditEntry> paged = new ArrayList<>();
        List<AuditEntry> page = audit.findBefore(null, 3);
        while (!page.isEmpty()) {
            sizes.add(page.size());
            paged.addAll(page);
            page = audit.findBefore(page.get(page.size() - 1).id(), 3);
        }

        assertThat(sizes).containsExactly(3, 3, 1);
        assertThat(paged).containsExactlyElementsOf(newestFirst(appended));
    }

    @Test
    void beforeReadsOnlyEntriesWithLowerIdsWhetherOrNotItIsAnId() {
        List<AuditEntry> appended = appendAuditEntries(4);
        AuditEntry oldest = appended.get(0);
        AuditEntry newest = appended.get(3);

        assertThat(audit.findBefore(newest.id(), 10)).containsExactly(appended.get(2), appended.get(1), oldest);
        assertThat(audit.findBefore(newest.id() + 1_000, 2)).containsExactly(newest, appended.get(2));
        assertThat(audit.findBefore(Long.MAX_VALUE, 10)).containsExactlyElementsOf(newestFirst(appended));
        assertThat(audit.findBefore(oldest.id(), 10)).isEmpty();
        assertThat(audit.findBefore(1L, 10)).isEmpty();
    }

    @Test
    void entriesAppendedWhileAnOperatorPagesShowOnlyOnTheFirstPage() {
        List<AuditEntry> appended = appendAuditEntries(4);
        List<AuditEntry> firstPage = audit.findBefore(null, 2);

        AuditEntry later = audit.append(auditEntry(0, "set-enabled", "?name=rt-9&enabled=false"));

        assertThat(firstPage).containsExactly(appended.get(3), appended.get(2));
        assertThat(audit.findBefore(firstPage.get(1).id(), 2)).containsExactly(appended.get(1), appended.get(0));
        assertThat(audit.findBefore(null, 2)).containsExactly(later, appended.get(3));
    }

    @Test
    void entriesKeepTextsOfAnyScriptUpToWhatTheServiceKeepsAndTheirNulls() {
        // AuditService cuts request and outcome to 2,000 characters; the store must hold all of them.
        String text = "部署失败 🚀 é ".repeat(200);
        assertThat(text).hasSize(2_000);
        AuditEntry full = new AuditEntry(0, Long.MAX_VALUE, "fe80:0000:0000:0000:0204:61ff:fe9d:f156%eth0",
                "upsert", text, 400, text);
        AuditEntry bare = new AuditEntry(0, 0, "10.0.0.1", "reassign", null, 400, null);

        AuditEntry storedFull = audit.append(full);
        AuditEntry storedBare = audit.append(bare);

        assertThat(storedFull).isEqualTo(withId(full, storedFull.id()));
        assertThat(storedBare).isEqualTo(withId(bare, storedBare.id()));
        assertThat(audit.findBefore(null, 2)).containsExactly(storedBare, storedFull);
    }

    @Test
    void concurrentAppendsAreAllKeptEachWithAnIdOfItsOwnAndLaterOnesGetHigherIds() {
        int writers = 64;

        List<AuditEntry> stored = Concurrently.run(writers,
                i -> audit.append(auditEntry(0, "set-enabled", "?name=rt-" + i + "&enabled=false")));
        AuditEntry after = audit.append(auditEntry(0, "drain", "?name=rt-after"));

        IntStream.range(0, writers).forEach(i ->
                assertThat(stored.get(i).request()).isEqualTo("?name=rt-" + i + "&enabled=false"));
        assertThat(stored).extracting(AuditEntry::id).doesNotHaveDuplicates().allMatch(id -> id > 0);
        List<AuditEntry> all = audit.findBefore(null, 1_000);
        assertThat(all).hasSize(writers + 1).startsWith(after);
        assertThat(all.subList(1, all.size())).containsExactlyInAnyOrderElementsOf(stored);
        assertThat(all).extracting(AuditEntry::id).isSortedAccordingTo(Comparator.reverseOrder())
                .doesNotHaveDuplicates();
    }

    protected static Heartbeat heartbeat(String name, Double diskFreePct, Long diskFreeBytes, Integer containerCount) {
        return new Heartbeat(name, "http://10.0.0.12:7005", "https://gw.example.com", diskFreePct, diskFreeBytes,
                containerCount);
    }

    private static List<String> appIdsOf(List<Placement> page) {
        return page.stream().map(Placement::appId).collect(Collectors.toList());
    }

    private static AuditEntry auditEntry(long id, String action, String request) {
        return new AuditEntry(id, T0.toEpochMilli(), "10.0.0.1", action, request, 200, "ok");
    }

    private static AuditEntry withId(AuditEntry entry, long id) {
        return new AuditEntry(id, entry.at(), entry.clientAddress(), entry.action(), entry.request(), entry.status(),
                entry.outcome());
    }

    private static List<AuditEntry> newestFirst(List<AuditEntry> oldestFirst) {
        List<AuditEntry> reversed = new ArrayList<>(oldestFirst);
        Collections.reverse(reversed);
        return reversed;
    }

    /** Appends {@code n} entries one after the other; returns them as stored, oldest first. */
    private List<AuditEntry> appendAuditEntries(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> audit.append(new AuditEntry(0, T0.toEpochMilli() + i, "10.0.0." + (i + 1), "upsert",
                        "{\"name\":\"rt-" + i + "\"}", 200, "ok " + i)))
                .toList();
    }
}
