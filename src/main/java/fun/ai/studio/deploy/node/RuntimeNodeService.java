package fun.ai.studio.deploy.node;

import fun.ai.studio.deploy.audit.AuditService;
import fun.ai.studio.deploy.config.RegistryProperties;
import fun.ai.studio.deploy.config.RegistryProperties.Registration;
import fun.ai.studio.deploy.placement.PlacementRepository;
import fun.ai.studio.deploy.web.ApiException;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The node registry: heartbeats, operators' changes and the views with judged health. New names are admitted as
 * {@code deploy.runtime-node-registry.registration} and {@code max-nodes} say; a node awaiting approval and a node
 * whose URLs changed are written to the audit trail.
 */
@Slf4j
@Service
public class RuntimeNodeService implements DisposableBean {

    static final long RECENT_COUNT_MAX_AGE_MS = 5_000;
    static final long AGED_RECOUNT_EVERY_MS = 1_000;
    static final int AGED_RECOUNT_BATCH = 1_000;

    private final RuntimeNodeRepository nodes;
    private final PlacementRepository placements;
    private final NodeHealthPolicy healthPolicy;
    private final Clock clock;
    private final NodeListCache listCache;
    private final NewNodePolicy newNodes;
    private final AuditService audit;
    private final PlaceableNodes placeable;
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

    public RuntimeNodeService(RuntimeNodeRepository nodes, PlacementRepository placements,
                              NodeHealthPolicy healthPolicy, Clock clock, NodeListCache listCache,
                              RegistryProperties registry, AuditService audit) {
        this.nodes = nodes;
        this.placements = placements;
        this.healthPolicy = healthPolicy;
        this.clock = clock;
        this.listCache = listCache;
        this.newNodes = new NewNodePolicy(registry.registration() == Registration.OPEN, registry.maxNodes());
        this.audit = audit;
        this.placeable = new PlaceableNodes(nodes, healthPolicy);
    }

    /** Records the heartbeat; {@code clientAddress} is the agent's, for the audit entries it may cause. */
    public NodeView heartbeat(Heartbeat heartbeat, String clientAddress) {
        Instant now = now();
        RecordedHeartbeat recorded;
        try {
            recorded = nodes.recordHeartbeat(heartbeat, newNodes, now);
        } catch (NodeLimitReached e) {
            throw limitReached(heartbeat.nodeName(), e);
        }
        listCache.invalidate();
        RuntimeNode node = recorded.node();
        placeable.changed(node, now);
        if (recorded.created() && !newNodes.enabled()) {
            audit.recordNodeEvent(clientAddress, "awaiting-approval", asked(heartbeat), "node " + node.name()
                    + " (nodeId " + node.id() + ") registered disabled; approve it with POST "
                    + "/admin/runtime-nodes/set-enabled?name=" + node.name() + "&enabled=true");
        }
        if (recorded.urlsChanged()) {
            audit.recordNodeEvent(clientAddress, "urls-changed", asked(heartbeat), urlChanges(recorded));
        }
        return view(node, now, heartbeatCount(node.id(), now.toEpochMilli()));
    }

    public NodeView upsert(NodeUpsert upsert) {
        Instant now = now();
        RuntimeNode node;
        try {
            node = nodes.upsert(upsert, newNodes.maxNodes(), now);
        } catch (NodeLimitReached e) {
            throw limitReached(upsert.name(), e);
        }
        listCache.invalidate();
        placeable.changed(node, now);
        return view(node, now, placements.countByNode(node.id()));
    }

    private static ApiException limitReached(String name, NodeLimitReached e) {
        String message = "node limit of " + e.maxNodes() + " reached (deploy.runtime-node-registry.max-nodes)";
        log.warn("refused to create node {}: {}", name, message);
        return ApiException.forbidden(message);
    }

    private static String asked(Heartbeat heartbeat) {
        return "nodeName=" + heartbeat.nodeName() + " agentBaseUrl=" + heartbeat.agentBaseUrl()
                + " gatewayBaseUrl=" + heartbeat.gatewayBaseUrl();
    }

    /** Each URL that changed, old and new. */
    private static String urlChanges(RecordedHeartbeat recorded) {
        List<String> changes = new ArrayList<>(2);
        if (!Objects.equals(recorded.previousAgentBaseUrl(), recorded.node().agentBaseUrl())) {
            changes.add("agentBaseUrl " + recorded.previousAgentBaseUrl() + " -> " + recorded.node().agentBaseUrl());
        }
        if (!Objects.equals(recorded.previousGatewayBaseUrl(), recorded.node().gatewayBaseUrl())) {
            changes.add("gatewayBaseUrl " + recorded.previousGatewayBaseUrl() + " -> " + recorded.node().gatewayBaseUrl());
        }
        return "node " + recorded.node().name() + ": " + String.join("; ", changes);
    }

    public void setEnabled(String name, boolean enabled) {
        Instant now = now();
        if (!nodes.setEnabled(name, enabled, now)) {
            throw ApiException.notFound("no runtime node named '" + name + "'");
        }
        listCache.invalidate();
        placeable.changed(name, now);
    }

    public List<NodeView> list() {
        Instant now = now();
        Map<Long, Long> counts = placements.countAllByNode();
        return nodes.findAll().stream()
                .map(node -> view(node, now, counts.getOrDefault(node.id(), 0L)))
                .toList();
    }

    /**
     * Up to {@code limit} node views with an id above {@code afterNodeId}. Reads only the page's nodes and counts
     * only their placements, so a page costs the same in a fleet of any size; it is not cached.
     */
    public NodeListPage listPage(long afterNodeId, int limit) {
        Instant now = now();
        // One node more than the page tells whether a next page exists, so the last page says so (null).
        List<RuntimeNode> rows = nodes.findPageAfter(afterNodeId, limit + 1);
        List<RuntimeNode> page = rows.size() > limit ? rows.subList(0, limit) : rows;
        Map<Long, Long> counts = placements.countByNodes(page.stream().map(RuntimeNode::id).toList());
        List<NodeView> items = page.stream().map(node -> view(node, now, counts.getOrDefault(node.id(), 0L))).toList();
        return new NodeListPage(items, rows.size() > limit ? page.get(limit - 1).id() : null);
    }

    /** The envelope of {@link #list()} as JSON, served from {@link NodeListCache} while nothing changed. */
    public byte[] listJson() {
        return listCache.get(this::list);
    }

    /** Tells the registry that placements of any nodes changed, so node views recount them. */
    public void placementsChanged() {
        listCache.invalidate();
        recentCounts.replaceAll((nodeId, count) -> count.asChanged());
    }

    /** Tells the registry that placements of these nodes changed, so their views recount them. */
    public void placementsChanged(Collection<Long> nodeIds) {
        listCache.invalidate();
        nodeIds.forEach(nodeId -> recentCounts.computeIfPresent(nodeId, (id, count) -> count.asChanged()));
    }

    /**
     * The node's placement count, read again after a local placement change or once it is
     * {@link #RECENT_COUNT_MAX_AGE_MS} old. Heartbeat answers (which agents do not read) and page totals use it:
     * counting a node's rows on every beat or every page is what would otherwise cost the most.
     */
    public long recentCount(long nodeId) {
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
     * The count a heartbeat is answered with, never waiting on the database for a node it has counted before:
     * agents read only the status, and a heartbeat must be answered even while the database is slow or gone.
     * Nodes beat about once a minute, so their counts are nearly always older than
     * {@link #RECENT_COUNT_MAX_AGE_MS}; an aged count, or one from before a local placement change, is answered
     * as it is and read again in the background together with the others, in one statement at most every
     * {@link #AGED_RECOUNT_EVERY_MS}. A node without a count (new, or not counted since start-up) is counted at
     * once.
     */
    private long heartbeatCount(long nodeId, long nowMs) {
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

    /** The node, or 404 naming the parameter that referred to it. */
    public RuntimeNode require(long nodeId, String parameter) {
        return nodes.findById(nodeId)
                .orElseThrow(() -> ApiException.notFound("no runtime node with " + parameter + " " + nodeId));
    }

    public Optional<RuntimeNode> findById(long nodeId) {
        return nodes.findById(nodeId);
    }

    /** Every node, ordered by id. */
    public List<RuntimeNode> all() {
        return nodes.findAll();
    }

    /** Nodes that may receive new placements now, ordered by id; reads every node. */
    public List<RuntimeNode> placeableNodes(Instant now) {
        return nodes.findAll().stream().filter(node -> healthPolicy.isPlaceable(node, now)).toList();
    }

    /**
     * The same nodes for a strategy that picks one by position: the count costs nothing and {@code get(i)} reads
     * only that node, whatever the fleet's size. Changes made through other instances show within about 1 s.
     */
    public List<RuntimeNode> placeableByPosition(Instant now) {
        return placeable.at(now);
    }

    public NodeHealth health(RuntimeNode node, Instant now) {
        return healthPolicy.health(node, now);
    }

    /** Current time truncated to the millisecond, the precision every store keeps. */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private NodeView view(RuntimeNode node, Instant now, long placementCount) {
        return NodeView.of(node, healthPolicy.health(node, now), healthPolicy.isPlaceable(node, now), placementCount);
    }
}
