package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.config.RuntimeProperties;
import fun.ai.studio.deploy.shared.Leadership;
import fun.ai.studio.deploy.shared.PeriodicTask;
import lombok.extern.slf4j.Slf4j;
import org.springframework.stereotype.Component;

/**
 * Under {@code failover=auto}, moves apps off lost nodes once a second without waiting for {@code ensure}, at
 * most {@code failover-rate-per-second} of them, and only on the instance that leads ({@link Leadership}), so
 * instances sharing a database never move the same apps twice over.
 */
@Slf4j
@Component
class FailoverReconciler extends PeriodicTask {

    static final long TICK_MS = 1_000;

    private final PlacementService placements;
    private final Leadership leadership;
    private final boolean automatic;
    private final int ratePerSecond;

    FailoverReconciler(PlacementService placements, Leadership leadership, RuntimeProperties runtime) {
        super("failover-reconciler", TICK_MS);
        this.placements = placements;
        this.leadership = leadership;
        this.automatic = runtime.placement().failover() == RuntimeProperties.FailoverMode.AUTO;
        this.ratePerSecond = runtime.placement().failoverRatePerSecond();
    }

    /** One round: up to a second's worth of moves, when this instance leads. Returns how many apps moved. */
    int reconcile() {
        if (!leadership.isLeader()) {
            return 0;
        }
        try {
            return placements.failOverLostNodes(ratePerSecond);
        } catch (RuntimeException e) {
            // The database away, no capacity: the next round tries again; ensure reports such faults to callers.
            log.debug("failover round not completed: {}", e.getClass().getSimpleName());
            return 0;
        }
    }

    @Override
    protected void runOnce() {
        reconcile();
    }

    @Override
    protected boolean enabled() {
        return automatic;
    }
}
