package fun.ai.studio.deploy.changes;

import fun.ai.studio.deploy.config.ChangesProperties;
import fun.ai.studio.deploy.shared.ExpiredException;
import fun.ai.studio.deploy.shared.InvalidRequestException;
import fun.ai.studio.deploy.shared.NoCapacityException;
import fun.ai.studio.deploy.shared.NodeChanged;
import fun.ai.studio.deploy.shared.PlacementChanged;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Pages of the change log, and watches: a watch answers at once when entries after its revision exist, else as
 * soon as one commits, or empty when its wait ends. Waiting watches hold no thread: one thread wakes them,
 * at once after a change made here and within {@link #POLL_MS} after one made through another instance sharing
 * the database, reading the log once per distinct revision watched. When the application stops, every wait ends
 * before the web server's graceful stop, which would otherwise wait for them (up to its timeout), and consumers
 * watch again at once, on another instance.
 */
@Slf4j
@Service
public class ChangeFeed implements SmartLifecycle, DisposableBean {

    public static final int MAX_LIMIT = 1_000;
    public static final int DEFAULT_LIMIT = 500;
    public static final int MAX_WAIT_SECONDS = 60;
    public static final int DEFAULT_WAIT_SECONDS = 30;
    static final long POLL_MS = 250;

    private record Watch(long after, int limit, long untilNanos, CompletableFuture<ChangesPage> answer) {
    }

    private final ChangeLog changes;
    private final int maxWaiting;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean waking = new AtomicBoolean();
    private volatile boolean running;
    private final ScheduledExecutorService waker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "change-feed");
        thread.setDaemon(true);
        return thread;
    });

    public ChangeFeed(ChangeLog changes, ChangesProperties settings, MeterRegistry meters) {
        this.changes = changes;
        this.maxWaiting = settings.maxWaiting();
        Gauge.builder("deploy.changes.waiting", watches, Set::size)
                .description("change-feed watches waiting on this instance (at most deploy.changes.max-waiting)")
                .register(meters);
        waker.scheduleWithFixedDelay(this::wakeWatches, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
    }

    /** The current revision: read it before listing, then watch from it, and nothing between is missed. */
    public long revision() {
        return changes.latestRevision();
    }

    /** Up to {@code limit} entries after {@code after}, at once; 410 when entries after it are no longer kept. */
    public ChangesPage page(long after, int limit) {
        check(after, limit, 0);
        return read(after, limit);
    }

    /**
     * The entries after {@code after} as soon as there are any, or none after {@code waitSeconds}; the future
     * completes on the feed's own thread, never the caller's.
     */
    public CompletableFuture<ChangesPage> watch(long after, int limit, int waitSeconds) {
        check(after, limit, waitSeconds);
        ChangesPage now = read(after, limit);
        if (!now.items().isEmpty() || waitSeconds == 0 || !running) {
            return CompletableFuture.completedFuture(now);
        }
        if (watches.size() >= maxWaiting) {
            throw new NoCapacityException("too many watches are waiting on this instance"
                    + " (deploy.changes.max-waiting=" + maxWaiting + "); retry in a second");
        }
        Watch watch = new Watch(after, limit, System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds),
                new CompletableFuture<>());
        watches.add(watch);
        if (!running) {
            // stop() ran between the check above and the add, and did not see this one.
            answer(watch, now);
        }
        return watch.answer();
    }

    private static void check(long after, int limit, int waitSeconds) {
        if (after < 0) {
            throw new InvalidRequestException("after must be 0 or more");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException("limit must be between 1 and " + MAX_LIMIT);
        }
        if (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
            throw new InvalidRequestException("waitSeconds must be between 0 and " + MAX_WAIT_SECONDS);
        }
    }

    private ChangesPage read(long after, int limit) {
        List<ChangeEntry> items = changes.after(after, limit);
        long oldest = changes.oldestAvailable();
        // Revisions have no gaps, so the first entry after `after` is after + 1; if it is gone (or was trimmed
        // while this read), the reader would miss entries.
        boolean missing = items.isEmpty() ? after + 1 < oldest : items.get(0).revision() != after + 1;
        if (missing) {
            throw new ExpiredException("entries after revision " + after + " are no longer kept; list again and"
                    + " watch from the revision the list carries", Map.of("oldestAvailable", oldest));
        }
        if (items.isEmpty() && after > changes.latestRevision()) {
            // A revision this log never reached: it started again (a restart in memory), so list again.
            throw new ExpiredException("revision " + after + " is newer than this log's newest; it started again,"
                    + " so list again and watch from the revision the list carries", Map.of("oldestAvailable", oldest));
        }
        long next = items.isEmpty() ? after : items.get(items.size() - 1).revision();
        return new ChangesPage(items, next, oldest);
    }

    @EventListener
    void nodeChanged(NodeChanged change) {
        if (change.kind() != NodeChanged.Kind.HEARTBEAT) {
            wakeSoon();
        }
    }

    @EventListener
    void placementsChanged(PlacementChanged change) {
        wakeSoon();
    }

    private void wakeSoon() {
        if (!watches.isEmpty() && waking.compareAndSet(false, true)) {
            waker.execute(this::wakeWatches);
        }
    }

    /** Answers every watch that has entries to read or whose wait has ended. */
    private void wakeWatches() {
        waking.set(false);
        if (watches.isEmpty()) {
            return;
        }
        try {
            long latest = changes.latestRevision();
            long nowNanos = System.nanoTime();
            Map<Long, List<Watch>> byRevision = new HashMap<>();
            List<Watch> ended = new ArrayList<>();
            for (Watch watch : watches) {
                if (watch.after() < latest) {
                    byRevision.computeIfAbsent(watch.after(), after -> new ArrayList<>()).add(watch);
                } else if (nowNanos - watch.untilNanos() >= 0) {
                    ended.add(watch);
                }
            }
            if (!ended.isEmpty()) {
                long oldest = changes.oldestAvailable();
                ended.forEach(watch -> answer(watch, new ChangesPage(List.of(), watch.after(), oldest)));
            }
            answerFromLog(byRevision);
        } catch (RuntimeException e) {
            // The database away: watches wait on, and those whose wait has ended learn why.
            log.debug("change feed not read: {}", e.getClass().getSimpleName());
            long nowNanos = System.nanoTime();
            watches.stream().filter(watch -> nowNanos - watch.untilNanos() >= 0).forEach(watch -> fail(watch, e));
        }
    }

    /** Answers the watches with what the log holds after their revision, reading it once per revision. */
    private void answerFromLog(Map<Long, List<Watch>> byRevision) {
        byRevision.forEach((after, waiting) -> {
            int limit = waiting.stream().mapToInt(Watch::limit).max().orElse(DEFAULT_LIMIT);
            ChangesPage page;
            try {
                page = read(after, limit);
            } catch (RuntimeException e) {
                waiting.forEach(watch -> fail(watch, e));
                return;
            }
            waiting.forEach(watch -> answer(watch, limited(page, watch.limit())));
        });
    }

    private static ChangesPage limited(ChangesPage page, int limit) {
        if (page.items().size() <= limit) {
            return page;
        }
        List<ChangeEntry> items = page.items().subList(0, limit);
        return new ChangesPage(List.copyOf(items), items.get(limit - 1).revision(), page.oldestAvailable());
    }

    private void answer(Watch watch, ChangesPage page) {
        watches.remove(watch);
        watch.answer().complete(page);
    }

    private void fail(Watch watch, RuntimeException e) {
        watches.remove(watch);
        watch.answer().completeExceptionally(e);
    }

    /** Watches whose caller went away are dropped with it. */
    public void forget(CompletableFuture<ChangesPage> answer) {
        watches.removeIf(watch -> watch.answer() == answer);
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Ends every wait with what the log holds for it (usually nothing): the default phase stops before the web
     * server's graceful stop. A watch that comes in after this answers at once.
     */
    @Override
    public void stop() {
        running = false;
        answerFromLog(watches.stream().collect(Collectors.groupingBy(Watch::after)));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public void destroy() {
        waker.shutdownNow();
    }
}
