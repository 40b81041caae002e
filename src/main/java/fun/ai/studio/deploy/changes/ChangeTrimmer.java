package fun.ai.studio.deploy.changes;

import fun.ai.studio.deploy.config.ChangesProperties;
import fun.ai.studio.deploy.shared.Leadership;
import fun.ai.studio.deploy.shared.PeriodicTask;
import lombok.extern.slf4j.Slf4j;
import org.springframework.stereotype.Component;

import java.time.Clock;

/**
 * Keeps the change log within {@code deploy.changes.retention} and {@code max-entries}: once a minute, on the
 * leading instance only, so instances sharing a database do not delete the same rows twice.
 */
@Slf4j
@Component
class ChangeTrimmer extends PeriodicTask {

    static final long EVERY_MS = 60_000;

    private final ChangeLog changes;
    private final Leadership leadership;
    private final ChangesProperties settings;
    private final Clock clock;

    ChangeTrimmer(ChangeLog changes, Leadership leadership, ChangesProperties settings, Clock clock) {
        super("change-trimmer", EVERY_MS);
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
    protected void runOnce() {
        trim();
    }
}
