package fun.ai.studio.deploy.persistence.jpa;

import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.node.NewNodePolicy;
import fun.ai.studio.deploy.node.NodeUpsert;
import fun.ai.studio.deploy.node.RecordedHeartbeat;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.node.RuntimeNodeRepository;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Coalesces heartbeats that change nothing but the time. A heartbeat for a known node whose URLs and figures
 * equal the stored ones only records its time in memory; a background flush writes all pending times in one
 * multi-row statement every {@code flushMillis}, then re-reads the nodes so {@code enabled} and {@code weight}
 * changed by other instances show within one interval. A new node, changed URLs or changed figures are written
 * before the heartbeat is answered, as is every heartbeat while flushing fails (so an outage is answered 503,
 * not hidden). Reads merge the pending times, so this instance judges health on the newest time; other instances
 * see it at most one interval later. Pending times are flushed on shutdown.
 */
@Slf4j
class CoalescingRuntimeNodeRepository implements RuntimeNodeRepository, DisposableBean {

    private final JpaRuntimeNodeRepository store;
    private final HeartbeatTimeWriter writer;
    private final ScheduledExecutorService flusher;
    private final ConcurrentMap<String, RuntimeNode> known = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Instant> pending = new ConcurrentHashMap<>();
    private volatile boolean flushing = true;

    CoalescingRuntimeNodeRepository(JpaRuntimeNodeRepository store, HeartbeatTimeWriter writer, long flushMillis) {
        this.store = store;
        this.writer = writer;
        this.flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "heartbeat-flush");
            thread.setDaemon(true);
            return thread;
        });
        flusher.scheduleWithFixedDelay(this::flushAndRefresh, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public RecordedHeartbeat recordHeartbeat(Heartbeat hb, NewNodePolicy newNodes, Instant now) {
        RuntimeNode cached = known.get(hb.nodeName());
        if (flushing && cached != null && sameReport(cached, hb)) {
            pending.merge(hb.nodeName(), now, (a, b) -> a.isAfter(b) ? a : b);
            return RecordedHeartbeat.updated(withTime(cached, pending.get(hb.nodeName())), cached.agentBaseUrl(),
                    cached.gatewayBaseUrl());
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
        return store.findById(id).map(this::withPendingTime);
    }

    @Override
    public Optional<RuntimeNode> findByName(String name) {
        return store.findByName(name).map(this::withPendingTime);
    }

    @Override
    public List<RuntimeNode> findAll() {
        return store.findAll().stream().map(this::withPendingTime).toList();
    }

    /** Writes every pending time now; the flusher calls it each interval, and shutdown once more. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<String, Instant> batch = new HashMap<>(pending);
        writer.write(batch);
        // Drop only what was written; a newer time that arrived meanwhile stays for the next flush.
        batch.forEach(pending::remove);
    }

    private void flushAndRefresh() {
        try {
            flush();
            store.findAll().forEach(node -> known.put(node.name(), node));
            if (!flushing) {
                log.info("heartbeat times are written again; coalescing resumes");
            }
            flushing = true;
        } catch (DataAccessException e) {
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

    @Override
    public void destroy() {
        flusher.shutdown();
        try {
            flusher.awaitTermination(5, TimeUnit.SECONDS);
            flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (DataAccessException e) {
            log.warn("could not write {} pending heartbeat times at shutdown: {}", pending.size(),
                    e.getClass().getSimpleName());
        }
    }

    private RuntimeNode remember(RuntimeNode node) {
        known.put(node.name(), node);
        return withPendingTime(node);
    }

    private RuntimeNode withPendingTime(RuntimeNode node) {
        Instant time = pending.get(node.name());
        return time == null || (node.lastHeartbeatAt() != null && !time.isAfter(node.lastHeartbeatAt()))
                ? node : withTime(node, time);
    }

    private static boolean sameReport(RuntimeNode node, Heartbeat hb) {
        return node.agentBaseUrl().equals(hb.agentBaseUrl()) && node.gatewayBaseUrl().equals(hb.gatewayBaseUrl())
                && Objects.equals(node.diskFreePct(), hb.diskFreePct())
                && Objects.equals(node.diskFreeBytes(), hb.diskFreeBytes())
                && Objects.equals(node.containerCount(), hb.containerCount());
    }

    private static RuntimeNode withTime(RuntimeNode node, Instant time) {
        return new RuntimeNode(node.id(), node.name(), node.agentBaseUrl(), node.gatewayBaseUrl(), node.enabled(),
                node.weight(), time, node.diskFreePct(), node.diskFreeBytes(), node.containerCount());
    }
}
