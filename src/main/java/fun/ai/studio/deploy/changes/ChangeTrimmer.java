package fun.ai.studio.deploy.changes;

import fun.ai.studio.deploy.config.ChangesProperties;
import fun.ai.studio.deploy.shared.Leadership;
import lombok.extern.slf4j.Slf4j;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the change log within {@code deploy.changes.retention} and {@code max-entries}: once a minute, on the
 * leading instance only, so instances sharing a database do not delete the same rows twice.
 */
@Slf4j
@Component
class ChangeTrimmer implements SmartLifecycle {

    static final long EVERY_MS = 60_000;

    private final ChangeLog changes;
    private final Leadership leadership;
    private final ChangesProperties settings;
    private final Clock clock;
    private ScheduledExecutorService ticks;

    ChangeTrimmer(ChangeLog changes, Leadership leadership, ChangesProperties settings, Clock clock) {
        this.changes = changes;
        this.leadership = leadership;
        this.settings = settings;
        this.clock = clock;
    }

    /** One trim, when this instance leads; returns how many entries it removed. */
    long trim() {
        if (!leadership.isLeader()) {
            return 0;
        }
        try {
            long removed = changes.trim(clock.millis() - settings.retention().toMillis(), settings.maxEntries());
            if (removed > 0) {
                log.debug("trimmed {} change log entries", removed);
            }
            return removed;
        } catch (RuntimeException e) {
            // The database away: the next minute trims what this one could not.
            log.debug("change log not trimmed: {}", e.getClass().getSimpleName());
            return 0;
        }
    }

    @Override
    public synchronized void start() {
        if (ticks == null) {
            ticks = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "change-trimmer");
                thread.setDaemon(true);
                return thread;
            });
            ticks.scheduleWithFixedDelay(this::trim, EVERY_MS, EVERY_MS, TimeUnit.MILLISECONDS);
        }
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
