package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.shared.NoCapacityException;
import fun.ai.studio.deploy.shared.PlacementConflictException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DrainTest {

    private final PlacementFixture fixture = new PlacementFixture(new LeastLoadedStrategy());
    private final RuntimeNode source = fixture.healthyNode("rt-source", 100);
    private final RuntimeNode small = fixture.healthyNode("rt-small", 100);
    private final RuntimeNode big = fixture.healthyNode("rt-big", 300);

    DrainTest() {
        for (int i = 0; i < 400; i++) {
            fixture.placementRepository.assign("app-" + i, source.id(), 1);
        }
    }

    @Test
    void dryRunReturnsThePlanAndChangesNothing() {
        DrainResult plan = fixture.placements.drain(source.id(), null, 100, true);

        assertThat(plan.dryRun()).isTrue();
        assertThat(plan.moved()).isZero();
        assertThat(plan.plan()).hasSize(100).allSatisfy(move -> {
            assertThat(move.fromNodeId()).isEqualTo(source.id());
            assertThat(move.toNodeId()).isIn(small.id(), big.id());
        });
        assertThat(plan.plannedByTarget().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
        assertThat(plan.remaining()).isEqualTo(400);
        assertThat(fixture.placementRepository.countByNode(source.id())).isEqualTo(400);
        assertThat(fixture.placementRepository.countAllByNode()).isEqualTo(Map.of(source.id(), 400L));
    }

    @Test
    void drainWithoutTargetSpreadsAppsByTheStrategyAndReportsMovesPerTarget() {
        DrainResult result = fixture.placements.drain(source.id(), null, 400, false);

        assertThat(result.moved()).isEqualTo(400);
        assertThat(result.remaining()).isZero();
        assertThat(result.targetNodeId()).isNull();
        // Least-loaded fills nodes in proportion to weight: 100 to the small node, 300 to the big one.
        assertThat(result.movedByTarget()).isEqualTo(Map.of(small.id(), 100, big.id(), 300));
        assertThat(fixture.placementRepository.countByNode(big.id())).isEqualTo(300);
    }

    @Test
    void drainWithTargetMovesAtMostLimitAndReportsRemaining() {
        DrainResult first = fixture.placements.drain(source.id(), small.id(), 150, false);

        assertThat(first.moved()).isEqualTo(150);
        assertThat(first.movedByTarget()).isEqualTo(Map.of(small.id(), 150));
        assertThat(first.remaining()).isEqualTo(250);
        assertThat(fixture.placementRepository.findByNode(small.id(), 0, 1).get(0).appId()).isEqualTo("app-0");
    }

    @Test
    void drainToADisabledTargetIsAConflictAndMovesNothing() {
        fixture.disable("rt-small");

        assertThatThrownBy(() -> fixture.placements.drain(source.id(), small.id(), 10, false))
                .isInstanceOf(PlacementConflictException.class)
                .hasMessageContaining("disabled");
        assertThat(fixture.placementRepository.countByNode(source.id())).isEqualTo(400);
    }

    @Test
    void drainWithoutAnyOtherPlaceableNodeIsServiceUnavailable() {
        fixture.disable("rt-small");
        fixture.disable("rt-big");

        assertThatThrownBy(() -> fixture.placements.drain(source.id(), null, 10, false))
                .isInstanceOf(NoCapacityException.class);
        assertThat(fixture.placementRepository.countByNode(source.id())).isEqualTo(400);
    }

    @Test
    void concurrentDrainsOfOneSourceNeverMoveAnAppTwiceNorLoseOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<DrainResult>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(() -> fixture.placements.drain(source.id(), null, 50, false));
            }
            int moved = 0;
            for (Future<DrainResult> future : pool.invokeAll(calls)) {
                moved += future.get().moved();
            }
            long left = fixture.placementRepository.countByNode(source.id());
            assertThat(moved + left).isEqualTo(400);
            assertThat(fixture.placementRepository.countByNode(small.id())
                    + fixture.placementRepository.countByNode(big.id())).isEqualTo(moved);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentDrainsToANamedTargetNeverMoveAnAppTwiceNorLoseOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<DrainResult>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(() -> fixture.placements.drain(source.id(), small.id(), 50, false));
            }
            int moved = 0;
            for (Future<DrainResult> future : pool.invokeAll(calls)) {
                DrainResult result = future.get();
                assertThat(result.moved()).isBetween(0, 50);
                assertThat(result.movedByTarget()).isEqualTo(result.moved() == 0 ? Map.of() : Map.of(small.id(), result.moved()));
                moved += result.moved();
            }
            assertThat(moved).isEqualTo(400);
            assertThat(fixture.placementRepository.countByNode(source.id())).isZero();
            assertThat(fixture.placementRepository.countByNode(small.id())).isEqualTo(400);
        } finally {
            pool.shutdownNow();
        }
    }
}
