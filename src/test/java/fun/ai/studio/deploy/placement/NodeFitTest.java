package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.config.RuntimeProperties;
import fun.ai.studio.deploy.config.RuntimeProperties.FailoverMode;
import fun.ai.studio.deploy.config.RuntimeProperties.PlacementStrategyName;
import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.node.RuntimeNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The one fit rule disk-aware places by and the node store writes at once when a heartbeat flips it. */
class NodeFitTest {

    private static final NodeFit FIT = new NodeFit(15, 20);

    private static RuntimeNode node(Double diskFreePct, Integer containerCount) {
        return new RuntimeNode(1, "rt-1", "http://a:1", "http://b:2", true, 100, Instant.EPOCH, diskFreePct, 1L,
                containerCount);
    }

    private static Heartbeat beat(Double diskFreePct, Integer containerCount) {
        return new Heartbeat("rt-1", "http://a:1", "http://b:2", diskFreePct, 2L, containerCount);
    }

    private static RuntimeProperties.PlacementSettings placement(PlacementStrategyName strategy) {
        return new RuntimeProperties.PlacementSettings(strategy, 15, 20, FailoverMode.MANUAL, null, 0.5, 10);
    }

    @Test
    void aNodeFitsFromTheMinimumFreeDiskUpAndBelowTheContainerCap() {
        assertThat(FIT.fits(node(15.0, 19))).isTrue();
        assertThat(FIT.fits(node(14.99, 0))).isFalse();
        assertThat(FIT.fits(node(100.0, 20))).isFalse();
    }

    @Test
    void aFigureTheNodeDoesNotReportKeepsItOutOfNothing() {
        assertThat(FIT.fits(node(null, null))).isTrue();
        assertThat(FIT.fits(node(null, 20))).isFalse();
        assertThat(FIT.fits(node(10.0, null))).isFalse();
    }

    @Test
    void aNodeThatDoesNotFitSaysWhyDiskFirst() {
        assertThat(FIT.misfit(node(14.99, 0))).isEqualTo("disk");
        assertThat(FIT.misfit(node(14.99, 20))).isEqualTo("disk");
        assertThat(FIT.misfit(node(null, 20))).isEqualTo("containers");
        assertThat(FIT.misfit(node(15.0, 19))).isNull();
    }

    @Test
    void aContainerCapOfZeroIgnoresTheCount() {
        assertThat(new NodeFit(15, 0).fits(node(50.0, 1_000_000))).isTrue();
    }

    @Test
    void crossingAThresholdEitherWayFlipsTheFit() {
        assertThat(FIT.flips(node(15.0, 5), beat(14.99, 5))).isTrue();
        assertThat(FIT.flips(node(14.99, 5), beat(15.0, 5))).isTrue();
        assertThat(FIT.flips(node(50.0, 19), beat(50.0, 20))).isTrue();
        assertThat(FIT.flips(node(50.0, 20), beat(50.0, 19))).isTrue();
    }

    @Test
    void movingWithinOneSideDoesNotFlipIt() {
        assertThat(FIT.flips(node(71.5, 5), beat(71.49, 6))).isFalse();
        assertThat(FIT.flips(node(10.0, 5), beat(9.0, 25))).as("still out, for both reasons").isFalse();
    }

    @Test
    void aFigureAppearingOrGoingFlipsTheFitOnlyWhenItDecidedIt() {
        assertThat(FIT.flips(node(10.0, 5), beat(null, 5))).as("low disk no longer reported").isTrue();
        assertThat(FIT.flips(node(null, 5), beat(10.0, 5))).as("low disk reported again").isTrue();
        assertThat(FIT.flips(node(50.0, 25), beat(50.0, null))).as("full node no longer reported").isTrue();
        assertThat(FIT.flips(node(50.0, 5), beat(null, null))).as("figures that fitted, gone").isFalse();
        assertThat(FIT.flips(node(10.0, 25), beat(null, 25))).as("still full").isFalse();
    }

    @Test
    void diskAwarePlacesByTheConfiguredThresholds() {
        NodeFit fit = NodeFit.of(placement(PlacementStrategyName.DISK_AWARE));

        assertThat(fit).isEqualTo(new NodeFit(15, 20));
    }

    @ParameterizedTest
    @EnumSource(value = PlacementStrategyName.class, names = "DISK_AWARE", mode = EnumSource.Mode.EXCLUDE)
    void theOtherStrategiesLetEveryNodeFitSoNoFigureFlipsAnything(PlacementStrategyName strategy) {
        NodeFit fit = NodeFit.of(placement(strategy));

        assertThat(fit).isEqualTo(NodeFit.EVERY_NODE);
        assertThat(fit.fits(node(0.0, Integer.MAX_VALUE))).isTrue();
        assertThat(fit.flips(node(50.0, 5), beat(0.0, Integer.MAX_VALUE))).isFalse();
    }
}
