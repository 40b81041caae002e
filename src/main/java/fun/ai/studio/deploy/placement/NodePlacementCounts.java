package fun.ai.studio.deploy.placement;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Policy;
import fun.ai.studio.deploy.node.PlacementCounts;
import fun.ai.studio.deploy.shared.PlacementChanged;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Placement counts per node, remembered for a few seconds: counting a node's rows on every heartbeat or every
 * page is what would otherwise cost the most. Page totals count again once a count is
 * {@link #RECENT_COUNT_MAX_AGE_MS} old or placements of the node changed on this instance
 * ({@link PlacementChanged}). Heartbeat answers never wait for a node counted before: an aged or changed count
 * is answered as it is and read again in the background, together with the others, in one statement at most
 * every {@link #AGED_RECOUNT_EVERY_MS}.
 */
@Slf4j
@Component
class NodePlacementCounts implements PlacementCounts, DisposableBean {

    static final long RECENT_COUNT_MAX_AGE_MS = 5_000;
    static final long AGED_RECOUNT_EVERY_MS = 1_000;
    static final int AGED_RECOUNT_BATCH = 1_000;

    private final PlacementRepository placements;
    private final Clock clock;
    // Caffeine keeps the counts and their ages, and asks for an aged one again (refreshAfterWrite) on a read
    // without making the reader wait; those asks are collected here and answered by one batched statement.
    private final LoadingCache<Long, Long> counts;
    private final Policy.FixedRefresh<Long, Long> ages;
    private final ConcurrentMap<Long, CompletableFuture<Long>> aged = new ConcurrentHashMap<>();
    private final Set<Long> changedForPages = ConcurrentHashMap.newKeySet();
    private final Set<Long> changedForBeats = ConcurrentHashMap.newKeySet();
    private final Set<Long> recounting = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean recountingAged = new AtomicBoolean();
    private volatile long agedRecountAtMs;
    private final ExecutorService recounts = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "placement-recount");
        thread.setDaemon(true);
        return thread;
    });

    NodePlacementCounts(PlacementRepository placements, Clock clock) {
        this.placements = placements;
        this.clock = clock;
        this.counts = Caffeine.newBuilder()
                // Caffeine refreshes a count strictly older than this; a count is aged at RECENT_COUNT_MAX_AGE_MS.
                .refreshAfterWrite(Duration.ofMillis(RECENT_COUNT_MAX_AGE_MS).minusNanos(1))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run)
                .build(new CacheLoader<>() {
                    @Override
                    public Long load(Long nodeId) {
                        return placements.countByNode(nodeId);
                    }

                    @Override
                    public CompletableFuture<Long> asyncReload(Long nodeId, Long count, Executor executor) {
                        // Only collected here: the batch starts after the read, so the reader gets the count it had.
                        return aged.computeIfAbsent(nodeId, id -> new CompletableFuture<>());
                    }
                });
        this.ages = counts.policy().refreshAfterWrite().orElseThrow();
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
        // An operator's reassign or drain is rare and is followed by reading pages: every count is read again
        // then, so moves other instances made meanwhile show at once as well.
        boolean operatorMove = change.kind() == PlacementChanged.Kind.REASSIGNED
                || change.kind() == PlacementChanged.Kind.DRAINED;
        (operatorMove ? Set.copyOf(counts.asMap().keySet()) : change.nodeIds()).forEach(nodeId -> {
            changedForPages.add(nodeId);
            changedForBeats.add(nodeId);
        });
    }

    /** The node's count for a page total: at most {@link #RECENT_COUNT_MAX_AGE_MS} old, and exact after a change here. */
    long recentCount(long nodeId) {
        Long cached = counts.policy().getIfPresentQuietly(nodeId);
        boolean usable = cached != null && !changedForPages.contains(nodeId);
        if (usable) {
            OptionalLong age = ages.ageOf(nodeId, TimeUnit.MILLISECONDS);
            if (age.isPresent() && age.getAsLong() < RECENT_COUNT_MAX_AGE_MS) {
                return cached;
            }
        }
        // An aged count is read again by one caller while the others keep using it, so a node with a million
        // apps is counted once, not once per concurrent request.
        if (usable && !recounting.add(nodeId)) {
            return cached;
        }
        boolean changed = changedForPages.remove(nodeId);
        try {
            long count = placements.countByNode(nodeId);
            counts.put(nodeId, count);
            return count;
        } catch (RuntimeException e) {
            if (changed) {
                changedForPages.add(nodeId);
            }
            throw e;
        } finally {
            if (usable) {
                recounting.remove(nodeId);
            }
        }
    }

    /**
     * Nodes beat about once a minute, so their counts are nearly always older than
     * {@link #RECENT_COUNT_MAX_AGE_MS}. A node without a count (new, or not counted since start-up) is counted at
     * once.
     */
    @Override
    public long heartbeatCount(long nodeId) {
        long count = counts.get(nodeId);
        if (changedForBeats.remove(nodeId)) {
            counts.refresh(nodeId);
        }
        if (!aged.isEmpty()) {
            recountAgedIfDue();
        }
        return count;
    }

    private void recountAgedIfDue() {
        long nowMs = clock.millis();
        if (nowMs - agedRecountAtMs >= AGED_RECOUNT_EVERY_MS && recountingAged.compareAndSet(false, true)) {
            agedRecountAtMs = nowMs;
            recounts.execute(this::recountAged);
        }
    }

    /** Reads up to {@link #AGED_RECOUNT_BATCH} aged counts; a batch the database cannot count is asked for again. */
    private void recountAged() {
        List<Long> batch = new ArrayList<>();
        for (Iterator<Long> it = aged.keySet().iterator(); it.hasNext() && batch.size() < AGED_RECOUNT_BATCH; ) {
            batch.add(it.next());
        }
        try {
            Map<Long, Long> read = placements.countByNodes(batch);
            batch.forEach(id -> aged.remove(id).complete(read.getOrDefault(id, 0L)));
        } catch (RuntimeException e) {
            log.debug("aged placement counts not read: {}", e.getClass().getSimpleName());
            // The old counts stay (Caffeine drops a failed refresh) and the next heartbeat asks for each again.
            changedForBeats.addAll(batch);
            batch.forEach(id -> aged.remove(id).cancel(false));
        } finally {
            recountingAged.set(false);
        }
    }

    @Override
    public void destroy() {
        recounts.shutdownNow();
    }
}
