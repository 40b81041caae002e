package fun.ai.studio.deploy.shared;

import org.springframework.context.SmartLifecycle;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Background work that runs once a period on a daemon thread of its own while the application runs: started
 * with the context, stopped before it closes.
 */
public abstract class PeriodicTask implements SmartLifecycle {

    private final String threadName;
    private final long periodMs;
    private ScheduledExecutorService ticks;

    protected PeriodicTask(String threadName, long periodMs) {
        this.threadName = threadName;
        this.periodMs = periodMs;
    }

    /** One round of the work; it must not throw. */
    protected abstract void runOnce();

    /** Whether the work runs at all with this instance's settings. */
    protected boolean enabled() {
        return true;
    }

    @Override
    public synchronized void start() {
        if (!enabled() || ticks != null) {
            return;
        }
        ticks = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        ticks.scheduleWithFixedDelay(this::runOnce, periodMs, periodMs, TimeUnit.MILLISECONDS);
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
