package fun.ai.studio.deploy.persistence.memory;

import fun.ai.studio.deploy.changes.Change;
import fun.ai.studio.deploy.changes.ChangeKind;
import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.node.NewNodePolicy;
import fun.ai.studio.deploy.node.NodeLimitReached;
import fun.ai.studio.deploy.node.NodeUpsert;
import fun.ai.studio.deploy.node.RecordedHeartbeat;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.node.RuntimeNodeRepository;
import fun.ai.studio.deploy.persistence.NodeChanges;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Nodes in memory; every write is one atomic {@code compute} on the node's name. A create takes one of the
 * {@code maxNodes} places with a compare-and-set on the node count inside that {@code compute}, so concurrent
 * creates of different names can never pass the limit, and a refused one leaves no trace.
 */
public class InMemoryRuntimeNodeRepository implements RuntimeNodeRepository {

    private final ConcurrentMap<String, RuntimeNode> byName = new ConcurrentHashMap<>();
    // Sorted by id, so pages and the full list are read in order instead of sorting every node.
    private final ConcurrentNavigableMap<Long, String> nameById = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger count = new AtomicInteger();
    private final InMemoryChangeLog changes;

    /** Records its changes in {@code changes} after making each. */
    public InMemoryRuntimeNodeRepository(InMemoryChangeLog changes) {
        this.changes = changes;
    }

    /** With a change log of its own, for uses that never read one. */
    public InMemoryRuntimeNodeRepository() {
        this(new InMemoryChangeLog(1_000));
    }

    @Override
    public RecordedHeartbeat recordHeartbeat(Heartbeat hb, NewNodePolicy newNodes, Instant now) {
        AtomicReference<RuntimeNode> previous = new AtomicReference<>();
        RuntimeNode node = byName.compute(hb.nodeName(), (name, current) -> {
            previous.set(current);
            long id = current != null ? current.id() : newId(name, newNodes.maxNodes());
            boolean enabled = current == null ? newNodes.enabled() : current.enabled();
            int weight = current != null ? current.weight() : RuntimeNode.DEFAULT_WEIGHT;
            return new RuntimeNode(id, name, hb.agentBaseUrl(), hb.gatewayBaseUrl(), enabled, weight, now,
                    hb.diskFreePct(), hb.diskFreeBytes(), hb.containerCount());
        });
        RuntimeNode before = previous.get();
        RecordedHeartbeat recorded = before == null ? RecordedHeartbeat.created(node)
                : RecordedHeartbeat.updated(node, before.agentBaseUrl(), before.gatewayBaseUrl());
        if (recorded.created() || recorded.urlsChanged()) {
            changes.append(Change.ofNode(recorded.created() ? ChangeKind.NODE_REGISTERED : ChangeKind.NODE_URLS_CHANGED,
                    now.toEpochMilli(), node.id()));
        }
        return recorded;
    }

    @Override
    public RuntimeNode upsert(NodeUpsert upsert, int maxNodes, Instant now) {
        AtomicReference<RuntimeNode> previous = new AtomicReference<>();
        RuntimeNode stored = byName.compute(upsert.name(), (name, current) -> {
            previous.set(current);
            if (current == null) {
                return new RuntimeNode(newId(name, maxNodes), name, upsert.agentBaseUrl(), upsert.gatewayBaseUrl(),
                        upsert.enabled() == null || upsert.enabled(),
                        upsert.weight() == null ? RuntimeNode.DEFAULT_WEIGHT : upsert.weight(),
                        null, null, null, null);
            }
            return new RuntimeNode(current.id(), name, upsert.agentBaseUrl(), upsert.gatewayBaseUrl(),
                    upsert.enabled() == null ? current.enabled() : upsert.enabled(),
                    upsert.weight() == null ? current.weight() : upsert.weight(),
                    current.lastHeartbeatAt(), current.diskFreePct(), current.diskFreeBytes(),
                    current.containerCount());
        });
        RuntimeNode before = previous.get();
        changes.appendAll(before == null
                ? List.of(Change.ofNode(ChangeKind.NODE_REGISTERED, now.toEpochMilli(), stored.id()))
                : NodeChanges.ofUpsert(before, stored, now.toEpochMilli()));
        return stored;
    }

    @Override
    public boolean setEnabled(String name, boolean enabled, Instant now) {
        AtomicReference<RuntimeNode> previous = new AtomicReference<>();
        RuntimeNode stored = byName.computeIfPresent(name, (n, current) -> {
            previous.set(current);
            return new RuntimeNode(current.id(), n, current.agentBaseUrl(), current.gatewayBaseUrl(), enabled,
                    current.weight(), current.lastHeartbeatAt(), current.diskFreePct(), current.diskFreeBytes(),
                    current.containerCount());
        });
        if (stored != null) {
            changes.appendAll(NodeChanges.ofEnabled(stored.id(), previous.get().enabled(), enabled, now.toEpochMilli()));
        }
        return stored != null;
    }

    @Override
    public Optional<RuntimeNode> findById(long id) {
        String name = nameById.get(id);
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name));
    }

    @Override
    public Optional<RuntimeNode> findByName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    @Override
    public List<RuntimeNode> findAll() {
        return collect(nameById.values(), Integer.MAX_VALUE);
    }

    @Override
    public List<RuntimeNode> findPageAfter(long afterId, int limit) {
        return collect(nameById.tailMap(afterId, false).values(), limit);
    }

    @Override
    public List<RuntimeNode> findByIds(Collection<Long> ids) {
        List<RuntimeNode> nodes = new ArrayList<>(ids.size());
        ids.forEach(id -> findById(id).ifPresent(nodes::add));
        return nodes;
    }

    /** The nodes of these names in order, skipping a name whose create has taken its id but not stored it yet. */
    private List<RuntimeNode> collect(Collection<String> names, int limit) {
        List<RuntimeNode> nodes = new ArrayList<>(Math.min(limit, byName.size()));
        for (Iterator<String> it = names.iterator(); it.hasNext() && nodes.size() < limit; ) {
            RuntimeNode node = byName.get(it.next());
            if (node != null) {
                nodes.add(node);
            }
        }
        return nodes;
    }

    /** Takes a place for a new node, or throws (making {@code compute} store nothing) when none is left. */
    private long newId(String name, int maxNodes) {
        if (count.getAndUpdate(n -> n < maxNodes ? n + 1 : n) >= maxNodes) {
            throw new NodeLimitReached(maxNodes);
        }
        long id = ids.incrementAndGet();
        nameById.put(id, name);
        return id;
    }
}
