package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.config.RuntimeProperties;
import fun.ai.studio.deploy.shared.Leadership;
import lombok.extern.slf4j.Slf4j;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Under {@code failover=auto}, moves apps off lost nodes once a second without waiting for {@code ensure}, at
 * most {@code failover-rate-per-second} of them, and only on the instance that leads ({@link Leadership}), so
 * instances sharing a database never move the same apps twice over.
 */
@Slf4j
@Component
class FailoverReconciler implements SmartLifecycle {

    static final long TICK_MS = 1_000;

    private final PlacementService placements;
    private final Leadership leadership;
    private final boolean automatic;
    private final int ratePerSecond;
    private ScheduledExecutorService ticks;

    FailoverReconciler(PlacementService placements, Leadership leadership, RuntimeProperties runtime) {
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
    public synchronized void start() {
        if (!automatic || ticks != null) {
            return;
        }
        ticks = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "failover-reconciler");
            thread.setDaemon(true);
            return thread;
        });
        ticks.scheduleWithFixedDelay(this::reconcile, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (ticks != null) {
            ticks.shutdownNow();
            ticks = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return ticks != null;
    }
}
