package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.config.RuntimeProperties;
import fun.ai.studio.deploy.shared.NoCapacityException;
import fun.ai.studio.deploy.shared.PlacementConflictException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FailoverTest {

    private static final Duration GRACE = Duration.ofSeconds(2L * PlacementFixture.STALE_SECONDS);

    private PlacementFixture fixture(RuntimeProperties.FailoverMode mode) {
        PlacementFixture fixture = new PlacementFixture(PlacementFixture.placement(mode), new WeightedRendezvousStrategy());
        // Past the start-up hold, with four nodes reporting.
        fixture.clock.advance(GRACE.plusSeconds(1));
        for (int i = 1; i <= 4; i++) {
            fixture.healthyNode("rt-" + i, 100);
        }
        return fixture;
    }

    /** Keeps every node but {@code silent} heartbeating while the clock moves on. */
    private static void advanceWithHeartbeats(PlacementFixture fixture, Duration duration, String silent) {
        Duration step = Duration.ofSeconds(10);
        for (Duration done = Duration.ZERO; done.compareTo(duration) < 0; done = done.plus(step)) {
            fixture.clock.advance(step);
            fixture.nodes.all().stream().filter(n -> !n.name().equals(silent))
                    .forEach(n -> fixture.heartbeat(n.name(), null, null));
        }
    }

    @Test
    void manualFailoverAnswersConflictNamingTheDisabledNode() {
        PlacementFixture fixture = fixture(RuntimeProperties.FailoverMode.MANUAL);
        PlacementView placed = fixture.placements.ensure("app-1");
        fixture.disable(placed.nodeName());

        assertThatThrownBy(() -> fixture.placements.ensure("app-1"))
                .isInstanceOf(PlacementConflictException.class)
                .hasMessageContaining(placed.nodeName()).hasMessageContaining("disabled")
                .hasMessageContaining("drain the node or reassign the app");
        assertThat(fixture.placementRepository.find("app-1").orElseThrow().nodeId()).isEqualTo(placed.nodeId());
    }

    @Test
    void autoFailoverMovesAnAppOffADisabledNodeAndSaysWhereFrom() {
        PlacementFixture fixture = fixture(RuntimeProperties.FailoverMode.AUTO);
        PlacementView placed = fixture.placements.ensure("app-1");
        fixture.disable(placed.nodeName());

        PlacementView moved = fixture.placements.ensure("app-1");

        assertThat(moved.moved()).isTrue();
        assertThat(moved.created()).isFalse();
        assertThat(moved.previousNodeId()).isEqualTo(placed.nodeId());
        assertThat(moved.nodeId()).isNotEqualTo(placed.nodeId());
        assertThat(fixture.placementRepository.find("app-1").orElseThrow().nodeId()).isEqualTo(moved.nodeId());
        PlacementView again = fixture.placements.ensure("app-1");
        assertThat(again.moved()).isFalse();
        assertThat(again.previousNodeId()).isNull();
        assertThat(again.nodeId()).isEqualTo(moved.nodeId());
    }

    @Test
    void autoFailoverWaitsUntilTheNodeHasBeenStaleForTheGracePeriod() {
        PlacementFixture fixture = fixture(RuntimeProperties.FailoverMode.AUTO);
        PlacementView placed = fixture.placements.ensure("app-1");

        advanceWithHeartbeats(fixture, GRACE, placed.nodeName());
        assertThatThrownBy(() -> fixture.placements.ensure("app-1"))
                .isInstanceOf(PlacementConflictException.class)
                .hasMessageContaining("stale").hasMessageContaining("waits until the node's last heartbeat is more than 120 s old");
        assertThat(fixture.placementRepository.find("app-1").orElseThrow().nodeId()).isEqualTo(placed.nodeId());

        advanceWithHeartbeats(fixture, Duration.ofSeconds(10), placed.nodeName());
        PlacementView moved = fixture.placements.ensure("app-1");
        assertThat(moved.moved()).isTrue();
        assertThat(moved.previousNodeId()).isEqualTo(placed.nodeId());
    }

    @Test
    void autoFailoverIsHeldDuringTheGracePeriodAfterStartUp() {
        PlacementFixture fixture = new PlacementFixture(PlacementFixture.placement(RuntimeProperties.FailoverMode.AUTO),
                new WeightedRendezvousStrategy());
        fixture.healthyNode("rt-1", 100);
        fixture.healthyNode("rt-2", 100);
        PlacementView placed = fixture.placements.ensure("app-1");
        fixture.disable(placed.nodeName());

        assertThatThrownBy(() -> fixture.placements.ensure("app-1"))
                .isInstanceOf(PlacementConflictException.class)
                .hasMessageContaining("held for the first 120 s after this service started");

        fixture.clock.advance(GRACE);
        fixture.nodes.all().forEach(n -> fixture.heartbeat(n.name(), null, null));
        assertThat(fixture.placements.ensure("app-1").moved()).isTrue();
    }

    @Test
    void autoFailoverPausesWhileMoreThanHalfOfTheEnabledNodesAreStale() {
        PlacementFixture fixture = fixture(RuntimeProperties.FailoverMode.AUTO);
        PlacementView placed = fixture.placements.ensure("app-1");
        fixture.disable(placed.nodeName());
        // Three of the four nodes fall silent: the control plane's network is the likelier fault.
        String survivor = fixture.nodes.all().stream().map(n -> n.name())
                .filter(n -> !n.equals(placed.nodeName())).findFirst().orElseThrow();
        fixture.clock.advance(Duration.ofSeconds(PlacementFixture.STALE_SECONDS));
        fixture.heartbeat(survivor, null, null);

        assertThatThrownBy(() -> fixture.placements.ensure("app-1"))
                .isInstanceOf(PlacementConflictException.class)
                .hasMessageContaining("automatic failover is paused: 2 of 3 enabled nodes are stale");
        assertThat(fixture.placementRepository.find("app-1").orElseThrow().nodeId()).isEqualTo(placed.nodeId());
    }

    @Test
    void autoFailoverWithNoOtherPlaceableNodeAnswersServiceUnavailable() {
        PlacementFixture fixture = new PlacementFixture(PlacementFixture.placement(RuntimeProperties.FailoverMode.AUTO),
                new WeightedRendezvousStrategy());
        fixture.clock.advance(GRACE.plusSeconds(1));
        fixture.healthyNode("rt-1", 100);
        fixture.placements.ensure("app-1");
        fixture.disable("rt-1");

        assertThatThrownBy(() -> fixture.placements.ensure("app-1"))
                .isInstanceOf(NoCapacityException.class);
    }

    @Test
    void concurrentCallersAgreeOnOneFailoverAndOnlyOneReportsTheMove() throws Exception {
        PlacementFixture fixture = fixture(RuntimeProperties.FailoverMode.AUTO);
        PlacementView placed = fixture.placements.ensure("app-1");
        fixture.disable(placed.nodeName());

        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Callable<PlacementView>> calls = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                calls.add(() -> fixture.placements.ensure("app-1"));
            }
            List<PlacementView> views = new ArrayList<>();
            for (Future<PlacementView> future : pool.invokeAll(calls)) {
                views.add(future.get());
            }
            assertThat(views).extracting(PlacementView::nodeId).containsOnly(views.get(0).nodeId());
            assertThat(views).filteredOn(PlacementView::moved).hasSize(1);
            assertThat(views.get(0).nodeId()).isNotEqualTo(placed.nodeId());
        } finally {
            pool.shutdownNow();
        }
    }
}
