package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.config.RegistryProperties;
import fun.ai.studio.deploy.config.RuntimeProperties;
import fun.ai.studio.deploy.config.RuntimeProperties.FailoverMode;
import fun.ai.studio.deploy.config.RuntimeProperties.PlacementStrategyName;
import fun.ai.studio.deploy.node.NodeUpsert;
import fun.ai.studio.deploy.persistence.memory.InMemoryNodeConditionRepository;
import fun.ai.studio.deploy.shared.Leadership;
import fun.ai.studio.deploy.support.Concurrently;
import fun.ai.studio.deploy.support.NewNodes;
import fun.ai.studio.deploy.support.RegistrySettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leader records each node's health flips and, under {@code disk-aware}, each crossing of the fit thresholds,
 * once, against a clock the test moves; a node seen for the first time is stored without an entry, a follower records
 * nothing, and recorders sharing one store never record a flip twice.
 */
class NodeConditionRecorderTest {

    private static final Duration STALE_AFTER = Duration.ofSeconds(PlacementFixture.STALE_SECONDS);

    private final PlacementFixture fixture = new PlacementFixture(new HashPlacementStrategy());
    private final InMemoryNodeConditionRepository store = new InMemoryNodeConditionRepository(fixture.changes);
    private final AtomicBoolean leader = new AtomicBoolean(true);
    private long revisionAtStart;

    @BeforeEach
    void markTheLog() {
        revisionAtStart = fixture.changes.latestRevision();
    }

    private NodeConditionRecorder recorder(PlacementStrategyName strategy, RegistryProperties registry) {
        RuntimeProperties.PlacementSettings placement = new RuntimeProperties.PlacementSettings(strategy, 15, 10,
                FailoverMode.MANUAL, null, 0.5, 10);
        return new NodeConditionRecorder(fixture.nodes, store, (Leadership) leader::get,
                new RuntimeProperties(fixture.runtime.persistence(), placement), registry, fixture.clock);
    }

    private NodeConditionRecorder recorder(PlacementStrategyName strategy) {
        return recorder(strategy, fixture.registry);
    }

    /** The condition entries since the test began, as (kind, nodeId, reason, at). */
    private List<List<Object>> recorded() {
        return fixture.changes.after(revisionAtStart, 100_000).stream()
                .filter(entry -> !entry.kind().equals("node-registered"))
                .map(entry -> Arrays.<Object>asList(entry.kind(), entry.nodeId(), entry.reason(), entry.at()))
                .toList();
    }

    private static List<Object> entry(String kind, long nodeId, String reason, long at) {
        return Arrays.asList(kind, nodeId, reason, at);
    }

    private long heartbeat(String name, Double diskFreePct, Integer containerCount) {
        return fixture.heartbeat(name, diskFreePct, containerCount).id();
    }

    @Test
    void aNodeSeenForTheFirstTimeIsStoredWithoutAnEntry() {
        long beating = heartbeat("rt-a", null, null);
        long silent = fixture.nodeRepository.upsert(new NodeUpsert("rt-b", "http://b:1", "http://b:2", null, null),
                NewNodes.MAX, fixture.clock.instant()).id();

        assertThat(recorder(PlacementStrategyName.HASH).record()).isZero();

        assertThat(recorded()).isEmpty();
        assertThat(store.findAll()).isEqualTo(Map.of(beating, new NodeCondition(true, true),
                silent, new NodeCondition(false, true)));
    }

    @Test
    void aNodeTurnsStaleOnceAtTheThresholdAndHealthyAgainAfterAHeartbeat() {
        long id = heartbeat("rt-a", null, null);
        NodeConditionRecorder recorder = recorder(PlacementStrategyName.HASH);
        recorder.record();

        fixture.clock.advance(STALE_AFTER.minusMillis(1));
        assertThat(recorder.record()).as("a millisecond before the threshold").isZero();
        long staleAt = fixture.clock.advance(Duration.ofMillis(1)).toEpochMilli();
        assertThat(recorder.record()).isEqualTo(1);
        fixture.clock.advance(Duration.ofSeconds(5));
        assertThat(recorder.record()).as("still stale: nothing new").isZero();
        long beatAt = fixture.clock.millis();
        heartbeat("rt-a", null, null);
        assertThat(recorder.record()).isEqualTo(1);
        assertThat(recorder.record()).isZero();

        assertThat(recorded()).containsExactly(entry("node-stale", id, null, staleAt),
                entry("node-healthy", id, null, beatAt));
    }

    @Test
    void underDiskAwareFiguresCrossingTheThresholdsAreRecordedWithTheReason() {
        long id = heartbeat("rt-a", 50.0, 3);
        NodeConditionRecorder recorder = recorder(PlacementStrategyName.DISK_AWARE);
        recorder.record();

        heartbeat("rt-a", 14.0, 3);
        recorder.record();
        long diskAt = fixture.clock.millis();
        fixture.clock.advance(Duration.ofSeconds(1));
        heartbeat("rt-a", 50.0, 10);
        assertThat(recorder.record()).as("still unfit, for another reason: no flip").isZero();
        fixture.clock.advance(Duration.ofSeconds(1));
        heartbeat("rt-a", 50.0, 9);
        recorder.record();
        long fitAt = fixture.clock.millis();
        fixture.clock.advance(Duration.ofSeconds(1));
        heartbeat("rt-a", 50.0, 10);
        recorder.record();

        assertThat(recorded()).containsExactly(entry("node-unfit", id, "disk", diskAt), entry("node-fit", id, null, fitAt),
                entry("node-unfit", id, "containers", fixture.clock.millis()));
    }

    @Test
    void underTheOtherStrategiesFiguresCrossNothing() {
        heartbeat("rt-a", 50.0, 3);
        NodeConditionRecorder recorder = recorder(PlacementStrategyName.LEAST_LOADED);
        recorder.record();

        heartbeat("rt-a", 1.0, 1_000);

        assertThat(recorder.record()).isZero();
        assertThat(recorded()).isEmpty();
    }

    @Test
    void aFollowerRecordsAndStoresNothingAndOnLeadingStartsFromTheNodesAsTheyAreThen() {
        long id = heartbeat("rt-a", null, null);
        NodeConditionRecorder recorder = recorder(PlacementStrategyName.HASH);
        leader.set(false);

        recorder.record();
        fixture.clock.advance(STALE_AFTER);
        assertThat(recorder.record()).isZero();
        assertThat(store.findAll()).isEmpty();

        leader.set(true);
        assertThat(recorder.record()).as("first seen: a baseline").isZero();
        heartbeat("rt-a", null, null);
        assertThat(recorder.record()).isEqualTo(1);
        assertThat(recorded()).containsExactly(entry("node-healthy", id, null, fixture.clock.millis()));
    }

    @Test
    void aNewLeaderGoesOnFromWhatThePreviousOneRecorded() {
        long id = heartbeat("rt-a", null, null);
        recorder(PlacementStrategyName.HASH).record();
        fixture.clock.advance(STALE_AFTER);
        recorder(PlacementStrategyName.HASH).record();

        NodeConditionRecorder next = recorder(PlacementStrategyName.HASH);
        assertThat(next.record()).isZero();
        heartbeat("rt-a", null, null);
        assertThat(next.record()).isEqualTo(1);

        assertThat(recorded()).extracting(entry -> entry.get(0)).containsExactly("node-stale", "node-healthy");
        assertThat(recorded()).extracting(entry -> entry.get(1)).containsOnly(id);
    }

    @Test
    void recordersThatBothBelieveTheyLeadRecordEachFlipOnce() {
        heartbeat("rt-a", null, null);
        heartbeat("rt-b", null, null);
        NodeConditionRecorder first = recorder(PlacementStrategyName.HASH);
        NodeConditionRecorder second = recorder(PlacementStrategyName.HASH);
        first.record();
        second.record();

        fixture.clock.advance(STALE_AFTER);
        assertThat(first.record()).isEqualTo(2);
        assertThat(second.record()).as("its conditions are outdated: the writes fail").isZero();
        assertThat(second.record()).as("read again: nothing left to record").isZero();
        heartbeat("rt-a", null, null);
        List<Integer> racing = Concurrently.run(8, i -> (i % 2 == 0 ? first : second).record());
        assertThat(racing.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1);

        assertThat(recorded()).extracting(entry -> entry.get(0))
                .containsExactlyInAnyOrder("node-stale", "node-stale", "node-healthy");
    }

    @Test
    void aNodeAnotherRecorderStoredFirstIsJudgedAgainstWhatThatOneStored() {
        NodeConditionRecorder first = recorder(PlacementStrategyName.HASH);
        NodeConditionRecorder second = recorder(PlacementStrategyName.HASH);
        first.record();
        second.record();
        long id = heartbeat("rt-a", null, null);
        first.record();

        fixture.clock.advance(STALE_AFTER);
        assertThat(second.record()).as("new to it, but stored already: nothing written").isZero();
        assertThat(store.findAll()).isEqualTo(Map.of(id, new NodeCondition(true, true)));
        assertThat(second.record()).isEqualTo(1);
        assertThat(first.record()).isZero();

        assertThat(recorded()).containsExactly(entry("node-stale", id, null, fixture.clock.millis()));
    }

    @Test
    void withTheRegistryOffNothingIsJudgedSoNothingIsRecordedAndTheLoopNeverStarts() {
        heartbeat("rt-a", 1.0, null);
        NodeConditionRecorder recorder = recorder(PlacementStrategyName.DISK_AWARE,
                RegistrySettings.defaults(false, PlacementFixture.STALE_SECONDS));

        recorder.start();
        assertThat(recorder.isRunning()).isFalse();
        fixture.clock.advance(STALE_AFTER);
        assertThat(recorder.record()).isZero();
        assertThat(store.findAll()).isEmpty();
        assertThat(recorded()).isEmpty();
    }

    @Test
    void nodesAreReadInPagesSoEveryNodeOfALargeFleetIsJudged() {
        int count = NodeConditionRecorder.PAGE * 2 + 1;
        for (int i = 0; i < count; i++) {
            heartbeat("rt-" + i, null, null);
        }
        NodeConditionRecorder recorder = recorder(PlacementStrategyName.HASH);
        recorder.record();

        fixture.clock.advance(STALE_AFTER);

        assertThat(recorder.record()).isEqualTo(count);
        assertThat(recorded()).extracting(entry -> entry.get(0)).containsOnly("node-stale").hasSize(count);
    }
}
