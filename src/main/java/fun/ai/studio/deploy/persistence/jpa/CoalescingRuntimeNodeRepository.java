package fun.ai.studio.deploy.persistence.jpa;

import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.node.NewNodePolicy;
import fun.ai.studio.deploy.node.NodeUpsert;
import fun.ai.studio.deploy.node.RecordedHeartbeat;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.node.RuntimeNodeRepository;
import fun.ai.studio.deploy.placement.NodeFit;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionException;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.function.BooleanSupplier;

/**
 * Holds the heartbeats of known nodes in memory and writes them together. A heartbeat for a known node whose URLs
 * equal the remembered ones becomes the node's pending report, time and figures (the newest by heartbeat time
 * wins); a background flush writes all pending reports every {@code flushMillis}, then re-reads the next
 * {@link #REREAD_ROWS} nodes in id order, so {@code enabled} and {@code weight} changed by other instances show
 * within one interval in a fleet of up to that many nodes, and within one pass over the fleet in a larger one. Written before the
 * heartbeat is answered: a new node, changed URLs, figures that {@link NodeFit#flips flip} the placement fit
 * (every instance places by it, so it must not wait), and every heartbeat while flushing fails for a reason other
 * than an unreachable database (so such a fault is answered 503, not hidden). While the database is unreachable
 * (the {@link DatabaseBreaker} is open) heartbeats of known nodes are still answered from memory and the flush
 * catches up once it is back; what needs a write is refused at once. Reads merge the pending reports, so this instance judges health and places on the
 * newest report; other instances see it at most one interval later. Pending reports are flushed on shutdown.
 */
@Slf4j
class CoalescingRuntimeNodeRepository implements RuntimeNodeRepository, DisposableBean {

    // Re-reading every node each interval would cost more than the heartbeats it saves once fleets reach 100,000.
    static final int REREAD_ROWS = 1000;

    private final JpaRuntimeNodeRepository store;
    private final HeartbeatWriter writer;
    private final NodeFit fit;
    private final BooleanSupplier databaseUnreachable;
    private final ScheduledExecutorService flusher;
    private final ConcurrentMap<String, RuntimeNode> known = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, HeartbeatReport> pending = new ConcurrentHashMap<>();
    private volatile boolean flushing = true;
    private long rereadAfterId;

    CoalescingRuntimeNodeRepository(JpaRuntimeNodeRepository store, HeartbeatWriter writer, NodeFit fit,
                                    BooleanSupplier databaseUnreachable, long flushMillis) {
        this.store = store;
        this.writer = writer;
        this.fit = fit;
        this.databaseUnreachable = databaseUnreachable;
        this.flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "heartbeat-flush");
            thread.setDaemon(true);
            return thread;
        });
        // Known before the first heartbeat: after a restart every agent beats within one interval, and each
        // unknown node would be written on its own. The database answered the migration a moment ago.
        try {
            long afterId = 0;
            do {
                afterId = rememberPage(afterId);
            } while (afterId != 0);
        } catch (DataAccessException e) {
            log.warn("could not read the nodes at start ({}); the first flush reads them", e.getClass().getSimpleName());
        }
        flusher.scheduleWithFixedDelay(this::flushAndRefresh, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public RecordedHeartbeat recordHeartbeat(Heartbeat hb, NewNodePolicy newNodes, Instant now) {
        RuntimeNode cached = known.get(hb.nodeName());
        if (flushing && cached != null && sameUrls(cached, hb)) {
            HeartbeatReport report = HeartbeatReport.of(hb, now);
            RuntimeNode current = withPending(cached);
            if (!report.isNewerThan(current)) {
                // A newer report was taken already; this one would change nothing.
                return unchangedUrls(current);
            }
            if (!fit.flips(current, hb)) {
                pending.merge(hb.nodeName(), report, HeartbeatReport::newer);
                return unchangedUrls(withPending(cached));
            }
            // Written like a flush (only over an older report), so racing heartbeats still leave the newest one.
            writer.write(Map.of(hb.nodeName(), report));
            Optional<RuntimeNode> written = store.findByName(hb.nodeName());
            if (written.isPresent()) {
                return unchangedUrls(remember(written.get()));
            }
            // The row was deleted behind the service's back: register the node again, as a new name would be.
        }
        RecordedHeartbeat stored = store.recordHeartbeat(hb, newNodes, now);
        known.put(stored.node().name(), stored.node());
        return stored;
    }

    @Override
    public RuntimeNode upsert(NodeUpsert upsert, int maxNodes, Instant now) {
        return remember(store.upsert(upsert, maxNodes, now));
    }

    @Override
    public boolean setEnabled(String name, boolean enabled, Instant now) {
        boolean found = store.setEnabled(name, enabled, now);
        if (found) {
            store.findByName(name).ifPresent(this::remember);
        }
        return found;
    }

    @Override
    public Optional<RuntimeNode> findById(long id) {
        UnaryOperator<RuntimeNode> withPending = pendingBeforeRead();
        return store.findById(id).map(withPending);
    }

    @Override
    public Optional<RuntimeNode> findByName(String name) {
        UnaryOperator<RuntimeNode> withPending = pendingBeforeRead();
        return store.findByName(name).map(withPending);
    }

    @Override
    public List<RuntimeNode> findAll() {
        UnaryOperator<RuntimeNode> withPending = pendingBeforeRead();
        return store.findAll().stream().map(withPending).toList();
    }

    @Override
    public List<RuntimeNode> findPageAfter(long afterId, int limit) {
        UnaryOperator<RuntimeNode> withPending = pendingBeforeRead();
        return store.findPageAfter(afterId, limit).stream().map(withPending).toList();
    }

    @Override
    public List<RuntimeNode> findByIds(Collection<Long> ids) {
        UnaryOperator<RuntimeNode> withPending = pendingBeforeRead();
        return store.findByIds(ids).stream().map(withPending).toList();
    }

    @Override
    public List<RuntimeNode> findUpdatedSince(Instant since, Collection<Long> watched) {
        UnaryOperator<RuntimeNode> withPending = pendingBeforeRead();
        return store.findUpdatedSince(since, watched).stream().map(withPending).toList();
    }

    /** Writes every pending report now; the flusher calls it each interval, and shutdown once more. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<String, HeartbeatReport> batch = new HashMap<>(pending);
        writer.write(batch);
        // Drop only what was written; a newer report that arrived meanwhile stays for the next flush.
        batch.forEach(pending::remove);
    }

    private void flushAndRefresh() {
        try {
            flush();
            rereadNextNodes();
            if (!flushing) {
                log.info("heartbeat times are written again; coalescing resumes");
            }
            flushing = true;
        } catch (DataAccessException | TransactionException e) {
            if (databaseUnreachable.getAsBoolean() || slowRatherThanRefusing(e)) {
                // An outage, or a database too busy or too locked to answer in time (as right after a partition):
                // pending reports stay for the next interval's flush and coalescing goes on, since writing every
                // heartbeat on its own would only add to the load.
                return;
            }
            if (flushing) {
                log.warn("cannot write heartbeat times ({}); heartbeats are written one by one until it recovers",
                        e.getClass().getSimpleName());
            }
            flushing = false;
        } catch (RuntimeException e) {
            log.error("heartbeat flush failed", e);
            flushing = false;
        }
    }

    /** A failure that says "not now" (a timeout, a lock wait, no connection in time) rather than "never". */
    private static boolean slowRatherThanRefusing(RuntimeException e) {
        return e instanceof TransientDataAccessException || e instanceof RecoverableDataAccessException
                || e instanceof CannotCreateTransactionException;
    }

    /** Only the flusher thread calls this, so the position needs no guard. */
    private void rereadNextNodes() {
        rereadAfterId = rememberPage(rereadAfterId);
    }

    /**
     * Reads the next {@link #REREAD_ROWS} nodes after {@code afterId} into {@code known}: a page at a time, so the
     * rows of a large fleet are never all read at once. Returns where the next page starts, or 0 after the last.
     */
    private long rememberPage(long afterId) {
        List<RuntimeNode> nodes = store.findPageAfter(afterId, REREAD_ROWS);
        nodes.forEach(node -> known.put(node.name(), node));
        return nodes.size() < REREAD_ROWS ? 0 : nodes.get(nodes.size() - 1).id();
    }

    @Override
    public void destroy() {
        flusher.shutdown();
        try {
            flusher.awaitTermination(5, TimeUnit.SECONDS);
            flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (DataAccessException e) {
            log.warn("could not write {} pending heartbeats at shutdown: {}", pending.size(),
                    e.getClass().getSimpleName());
        }
    }

    private RuntimeNode remember(RuntimeNode node) {
        known.put(node.name(), node);
        return withPending(node);
    }

    private RuntimeNode withPending(RuntimeNode node) {
        return applied(pending.get(node.name()), node);
    }

    /**
     * Merges pending reports into rows read after this call. The reports are taken before the read: a report
     * the flush removes in between was committed before its removal, so the read sees it; one that arrives
     * in between is taken from the map as well.
     */
    private UnaryOperator<RuntimeNode> pendingBeforeRead() {
        Map<String, HeartbeatReport> before = pending.isEmpty() ? Map.of() : new HashMap<>(pending);
        return node -> {
            HeartbeatReport taken = before.get(node.name());
            HeartbeatReport now = pending.get(node.name());
            return applied(taken == null ? now : now == null ? taken : HeartbeatReport.newer(taken, now), node);
        };
    }

    private static RuntimeNode applied(HeartbeatReport report, RuntimeNode node) {
        return report == null || !report.isNewerThan(node) ? node : report.appliedTo(node);
    }

    private static boolean sameUrls(RuntimeNode node, Heartbeat hb) {
        return node.agentBaseUrl().equals(hb.agentBaseUrl()) && node.gatewayBaseUrl().equals(hb.gatewayBaseUrl());
    }

    /** A heartbeat that kept the node's URLs: it replaced nothing, whatever URLs the node holds. */
    private static RecordedHeartbeat unchangedUrls(RuntimeNode node) {
        return RecordedHeartbeat.updated(node, node.agentBaseUrl(), node.gatewayBaseUrl());
    }
}
