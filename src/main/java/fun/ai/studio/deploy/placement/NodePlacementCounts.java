package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.node.PlacementCounts;
import fun.ai.studio.deploy.shared.PlacementChanged;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Placement counts per node, remembered for a few seconds: counting a node's rows on every heartbeat or every
 * page is what would otherwise cost the most. A count is read again once {@link #RECENT_COUNT_MAX_AGE_MS} old,
 * or after a placement change on this instance ({@link PlacementChanged}).
 */
@Slf4j
@Component
class NodePlacementCounts implements PlacementCounts, DisposableBean {

    static final long RECENT_COUNT_MAX_AGE_MS = 5_000;
    static final long AGED_RECOUNT_EVERY_MS = 1_000;
    static final int AGED_RECOUNT_BATCH = 1_000;

    private final PlacementRepository placements;
    private final Clock clock;
    private final ConcurrentMap<Long, CountAt> recentCounts = new ConcurrentHashMap<>();
    private final Set<Long> recounting = ConcurrentHashMap.newKeySet();
    private final Set<Long> aged = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean recountingAged = new AtomicBoolean();
    private volatile long agedRecountAtMs;
    // Heartbeats never wait for a recount: one background thread reads aged counts in batches.
    private final ExecutorService recounts = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "placement-recount");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * A node's placement count and when it was read, in epoch milliseconds; {@link #CHANGED} once placements of the
     * node changed here: page totals then count again before they use it, heartbeat answers use it while it is
     * read again in the background.
     */
    private record CountAt(long count, long atMs) {

        static final long CHANGED = Long.MIN_VALUE;

        boolean changed() {
            return atMs == CHANGED;
        }

        CountAt asChanged() {
            return new CountAt(count, CHANGED);
        }
    }

    NodePlacementCounts(PlacementRepository placements, Clock clock) {
        this.placements = placements;
        this.clock = clock;
    }

    @Override
    public long count(long nodeId) {
        return placements.countByNode(nodeId);
    }

    @Override
    public Map<Long, Long> countAll() {
        return placements.countAllByNode();
    }

    @Override
    public Map<Long, Long> countByNodes(Collection<Long> nodeIds) {
        return placements.countByNodes(nodeIds);
    }

    @EventListener
    void placementsChanged(PlacementChanged change) {
        change.nodeIds().forEach(nodeId -> recentCounts.computeIfPresent(nodeId, (id, count) -> count.asChanged()));
    }

    /**
     * The node's placement count, read again after a local placement change or once it is
     * {@link #RECENT_COUNT_MAX_AGE_MS} old; page totals use it.
     */
    long recentCount(long nodeId) {
        return recentCount(nodeId, clock.millis());
    }

    private long recentCount(long nodeId, long nowMs) {
        CountAt cached = recentCounts.get(nodeId);
        boolean usable = cached != null && !cached.changed();
        if (usable && nowMs - cached.atMs() < RECENT_COUNT_MAX_AGE_MS && nowMs >= cached.atMs()) {
            return cached.count();
        }
        // An aged count is read again by one caller while the others keep using it, so a node with a million
        // apps is counted once, not once per concurrent request.
        if (usable && !recounting.add(nodeId)) {
            return cached.count();
        }
        try {
            long count = placements.countByNode(nodeId);
            recentCounts.put(nodeId, new CountAt(count, nowMs));
            return count;
        } finally {
            if (usable) {
                recounting.remove(nodeId);
            }
        }
    }

    /**
     * Nodes beat about once a minute, so their counts are nearly always older than
     * {@link #RECENT_COUNT_MAX_AGE_MS}; an aged count, or one from before a local placement change, is answered
     * as it is and read again in the background together with the others, in one statement at most every
     * {@link #AGED_RECOUNT_EVERY_MS}. A node without a count (new, or not counted since start-up) is counted at
     * once.
     */
    @Override
    public long heartbeatCount(long nodeId) {
        long nowMs = clock.millis();
        CountAt cached = recentCounts.get(nodeId);
        if (cached == null) {
            return recentCount(nodeId, nowMs);
        }
        if (cached.changed() || nowMs - cached.atMs() >= RECENT_COUNT_MAX_AGE_MS || nowMs < cached.atMs()) {
            aged.add(nodeId);
            if (nowMs - agedRecountAtMs >= AGED_RECOUNT_EVERY_MS && recountingAged.compareAndSet(false, true)) {
                agedRecountAtMs = nowMs;
                recounts.execute(() -> recountAged(nowMs));
            }
        }
        return cached.count();
    }

    /** Reads up to {@link #AGED_RECOUNT_BATCH} aged counts; a batch the database cannot count stays aged. */
    private void recountAged(long nowMs) {
        try {
            Map<Long, CountAt> before = new HashMap<>();
            for (Iterator<Long> it = aged.iterator(); it.hasNext() && before.size() < AGED_RECOUNT_BATCH; ) {
                Long id = it.next();
                before.put(id, recentCounts.get(id));
            }
            Map<Long, Long> counts = placements.countByNodes(before.keySet());
            before.keySet().forEach(aged::remove);
            // Only over the count the batch started from: a local change made meanwhile is read again next time.
            before.forEach((id, seen) -> recentCounts.compute(id, (key, current) -> current == seen
                    ? new CountAt(counts.getOrDefault(id, 0L), nowMs) : current));
        } catch (RuntimeException e) {
            log.debug("aged placement counts not read: {}", e.getClass().getSimpleName());
        } finally {
            recountingAged.set(false);
        }
    }

    @Override
    public void destroy() {
        recounts.shutdownNow();
    }
}
