package fun.ai.studio.deploy.persistence.memory;

import fun.ai.studio.deploy.persistence.NodeChanges;
import fun.ai.studio.deploy.placement.NodeCondition;
import fun.ai.studio.deploy.placement.NodeConditionRepository;

import java.util.HashMap;
import java.util.Map;

/**
 * Recorded node conditions in memory. Each write and its change log entries happen under one lock, so a recorder
 * whose compare-and-set fails finds the winner's entries already in the log.
 */
public class InMemoryNodeConditionRepository implements NodeConditionRepository {

    private final Map<Long, NodeCondition> byNode = new HashMap<>();
    private final InMemoryChangeLog changes;

    public InMemoryNodeConditionRepository(InMemoryChangeLog changes) {
        this.changes = changes;
    }

    @Override
    public synchronized Map<Long, NodeCondition> findAll() {
        return Map.copyOf(byNode);
    }

    @Override
    public synchronized int recordFirst(Map<Long, NodeCondition> conditions, long atMs) {
        int stored = 0;
        for (Map.Entry<Long, NodeCondition> first : conditions.entrySet()) {
            stored += byNode.putIfAbsent(first.getKey(), first.getValue()) == null ? 1 : 0;
        }
        return stored;
    }

    @Override
    public synchronized boolean recordFlip(long nodeId, NodeCondition from, NodeCondition to, String misfit,
                                           long atMs) {
        if (!from.equals(byNode.get(nodeId))) {
            return false;
        }
        byNode.put(nodeId, to);
        changes.appendAll(NodeChanges.ofConditions(nodeId, from, to, misfit, atMs));
        return true;
    }
}
