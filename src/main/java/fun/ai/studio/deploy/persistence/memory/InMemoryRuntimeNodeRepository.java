package fun.ai.studio.deploy.persistence.memory;

import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.node.NodeUpsert;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.node.RuntimeNodeRepository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/** Nodes in memory; every write is one atomic {@code compute} on the node's name. */
public class InMemoryRuntimeNodeRepository implements RuntimeNodeRepository {

    private final ConcurrentMap<String, RuntimeNode> byName = new ConcurrentHashMap<>();
    private final ConcurrentMap<Long, String> nameById = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    @Override
    public RuntimeNode recordHeartbeat(Heartbeat hb, Instant now) {
        return byName.compute(hb.nodeName(), (name, current) -> {
            long id = current != null ? current.id() : newId(name);
            boolean enabled = current == null || current.enabled();
            int weight = current != null ? current.weight() : RuntimeNode.DEFAULT_WEIGHT;
            return new RuntimeNode(id, name, hb.agentBaseUrl(), hb.gatewayBaseUrl(), enabled, weight, now,
                    hb.diskFreePct(), hb.diskFreeBytes(), hb.containerCount());
        });
    }

    @Override
    public RuntimeNode upsert(NodeUpsert upsert, Instant now) {
        return byName.compute(upsert.name(), (name, current) -> {
            if (current == null) {
                return new RuntimeNode(newId(name), name, upsert.agentBaseUrl(), upsert.gatewayBaseUrl(),
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
    }

    @Override
    public boolean setEnabled(String name, boolean enabled, Instant now) {
        return byName.computeIfPresent(name, (n, current) -> new RuntimeNode(current.id(), n,
                current.agentBaseUrl(), current.gatewayBaseUrl(), enabled, current.weight(),
                current.lastHeartbeatAt(), current.diskFreePct(), current.diskFreeBytes(),
                current.containerCount())) != null;
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
        List<RuntimeNode> nodes = new ArrayList<>(byName.values());
        nodes.sort(Comparator.comparingLong(RuntimeNode::id));
        return nodes;
    }

    private long newId(String name) {
        long id = ids.incrementAndGet();
        nameById.put(id, name);
        return id;
    }
}
