package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.config.RuntimeProperties;
import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.shared.Leadership;
import fun.ai.studio.deploy.support.NewNodes;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reconciler moves apps off nodes lost past the grace without any {@code ensure}, at most the configured
 * rate a round, only while this instance leads, and under the same hold and guard as failover on {@code ensure}.
 */
class FailoverReconcilerTest {

    private static final Duration GRACE = Duration.ofSeconds(2L * PlacementFixture.STALE_SECONDS);
    private static final int RATE = 10;

    private final AtomicBoolean leader = new AtomicBoolean(true);

    private FailoverReconciler reconciler(PlacementFixture fixture, RuntimeProperties.FailoverMode mode) {
        RuntimeProperties.PlacementSettings settings = new RuntimeProperties.PlacementSettings(
                RuntimeProperties.PlacementStrategyName.HASH, 15, 0, mode, null, 0.5, RATE);
        return new FailoverReconciler(fixture.placements, (Leadership) leader::get,
                new RuntimeProperties(fixture.runtime.persistence(), settings));
    }

    /** Four healthy nodes past the start-up hold, 25 apps on rt-lost, which then stops beating for {@code silence}. */
    private PlacementFixture fleetWithALostNode(RuntimeProperties.FailoverMode mode, Duration silence) {
        PlacementFixture fixture = new PlacementFixture(PlacementFixture.placement(mode), new HashPlacementStrategy());
        fixture.clock.advance(GRACE.plusSeconds(1));
        for (String name : new String[] {"rt-lost", "rt-a", "rt-b", "rt-c"}) {
            fixture.healthyNode(name, 100);
        }
        long lost = fixture.nodeRepository.findByName("rt-lost").orElseThrow().id();
        for (int i = 0; i < 25; i++) {
            fixture.placementRepository.assign("app-" + i, lost, fixture.clock.millis());
        }
        Duration step = Duration.ofSeconds(10);
        for (Duration done = Duration.ZERO; done.compareTo(silence) < 0; done = done.plus(step)) {
            fixture.clock.advance(step);
            for (String name : new String[] {"rt-a", "rt-b", "rt-c"}) {
                fixture.heartbeat(name, null, null);
            }
        }
        return fixture;
    }

    private static long appsOn(PlacementFixture fixture, String name) {
        RuntimeNode node = fixture.nodeRepository.findByName(name).orElseThrow();
        return fixture.placementRepository.countByNode(node.id());
    }

    @Test
    void appsLeaveALostNodeAtTheConfiguredRateARoundUntilItIsEmpty() {
        PlacementFixture fixture = fleetWithALostNode(RuntimeProperties.FailoverMode.AUTO, GRACE.plusSeconds(10));
        FailoverReconciler reconciler = reconciler(fixture, RuntimeProperties.FailoverMode.AUTO);

        assertThat(reconciler.reconcile()).isEqualTo(RATE);
        assertThat(appsOn(fixture, "rt-lost")).isEqualTo(15);
        assertThat(reconciler.reconcile()).isEqualTo(RATE);
        assertThat(reconciler.reconcile()).isEqualTo(5);
        assertThat(reconciler.reconcile()).isZero();

        assertThat(appsOn(fixture, "rt-lost")).isZero();
        assertThat(appsOn(fixture, "rt-a") + appsOn(fixture, "rt-b") + appsOn(fixture, "rt-c")).isEqualTo(25);
    }

    @Test
    void aFollowerMovesNothing() {
        PlacementFixture fixture = fleetWithALostNode(RuntimeProperties.FailoverMode.AUTO, GRACE.plusSeconds(10));
        leader.set(false);

        assertThat(reconciler(fixture, RuntimeProperties.FailoverMode.AUTO).reconcile()).isZero();
        assertThat(appsOn(fixture, "rt-lost")).isEqualTo(25);
    }

    @Test
    void aNodeStaleForLessThanTheGraceKeepsItsApps() {
        PlacementFixture fixture = fleetWithALostNode(RuntimeProperties.FailoverMode.AUTO, GRACE.minusSeconds(10));

        assertThat(reconciler(fixture, RuntimeProperties.FailoverMode.AUTO).reconcile()).isZero();
        assertThat(appsOn(fixture, "rt-lost")).isEqualTo(25);
    }

    @Test
    void underManualFailoverNothingMovesAndTheLoopNeverStarts() {
        PlacementFixture fixture = fleetWithALostNode(RuntimeProperties.FailoverMode.MANUAL, GRACE.plusSeconds(10));
        FailoverReconciler reconciler = reconciler(fixture, RuntimeProperties.FailoverMode.MANUAL);

        reconciler.start();
        assertThat(reconciler.isRunning()).isFalse();
        assertThat(reconciler.reconcile()).isZero();
        assertThat(appsOn(fixture, "rt-lost")).isEqualTo(25);
    }

    @Test
    void aDisabledNodeIsLeftToItsOperator() {
        PlacementFixture fixture = fleetWithALostNode(RuntimeProperties.FailoverMode.AUTO, Duration.ZERO);
        fixture.disable("rt-lost");

        assertThat(reconciler(fixture, RuntimeProperties.FailoverMode.AUTO).reconcile()).isZero();
        assertThat(appsOn(fixture, "rt-lost")).isEqualTo(25);
    }

    @Test
    void whenMostOfTheFleetIsStaleTheGuardHoldsEveryApp() {
        PlacementFixture fixture = fleetWithALostNode(RuntimeProperties.FailoverMode.AUTO, GRACE.plusSeconds(10));
        // rt-b and rt-c go silent too: three of four enabled nodes stale is more than the 0.5 the guard allows.
        fixture.clock.advance(GRACE.plusSeconds(10));
        fixture.heartbeat("rt-a", null, null);

        assertThat(reconciler(fixture, RuntimeProperties.FailoverMode.AUTO).reconcile()).isZero();
        assertThat(appsOn(fixture, "rt-lost")).isEqualTo(25);
    }

    @Test
    void duringTheStartUpHoldNothingMoves() {
        PlacementFixture fixture = new PlacementFixture(PlacementFixture.placement(RuntimeProperties.FailoverMode.AUTO),
                new HashPlacementStrategy());
        fixture.healthyNode("rt-a", 100);
        // Last heard from long before this service started: lost past the grace, but the service is new.
        RuntimeNode lost = fixture.nodeRepository.recordHeartbeat(new Heartbeat("rt-lost", "http://rt-lost:7005",
                "https://rt-lost.gw", null, null, null), NewNodes.OPEN, fixture.clock.instant().minus(GRACE.multipliedBy(2)))
                .node();
        fixture.placementRepository.assign("app-1", lost.id(), fixture.clock.millis());
        FailoverReconciler reconciler = reconciler(fixture, RuntimeProperties.FailoverMode.AUTO);

        assertThat(reconciler.reconcile()).isZero();
        assertThat(fixture.placementRepository.countByNode(lost.id())).isEqualTo(1);

        fixture.clock.advance(GRACE.plusSeconds(1));
        fixture.heartbeat("rt-a", null, null);
        assertThat(reconciler.reconcile()).as("once the hold is over").isEqualTo(1);
    }
}
