package fun.ai.studio.deploy.persistence.memory;

import fun.ai.studio.deploy.changes.Change;
import fun.ai.studio.deploy.placement.MoveReason;
import fun.ai.studio.deploy.placement.PendingRedeploy;
import fun.ai.studio.deploy.placement.Placement;
import fun.ai.studio.deploy.placement.PlacementRepository;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Placements in memory. Each change is one atomic {@code compute} on the appId, which also keeps the
 * per-node index (sorted appIds, for paging) and the per-node counters in step with the main map.
 */
public class InMemoryPlacementRepository implements PlacementRepository {

    private final ConcurrentMap<String, Placement> byApp = new ConcurrentHashMap<>();
    private final ConcurrentMap<Long, NavigableSet<String>> appsByNode = new ConcurrentHashMap<>();
    private final ConcurrentMap<Long, AtomicLong> countByNode = new ConcurrentHashMap<>();
    // Sorted by appId for keyset pages; written inside the compute of the app's move, so it follows the moves.
    private final ConcurrentNavigableMap<String, PendingRedeploy> backlog = new ConcurrentSkipListMap<>();
    private final InMemoryChangeLog changes;

    /** Records its changes in {@code changes} after making each. */
    public InMemoryPlacementRepository(InMemoryChangeLog changes) {
        this.changes = changes;
    }

    /** With a change log of its own, for uses that never read one. */
    public InMemoryPlacementRepository() {
        this(new InMemoryChangeLog(1_000));
    }

    @Override
    public Optional<Placement> find(String appId) {
        return Optional.ofNullable(byApp.get(appId));
    }

    @Override
    public PlaceResult placeIfAbsent(String appId, long nodeId, long nowMs) {
        boolean[] created = {false};
        Placement winner = byApp.computeIfAbsent(appId, id -> {
            created[0] = true;
            index(id, nodeId);
            return new Placement(id, nodeId, nowMs);
        });
        if (created[0]) {
            changes.append(Change.placed(nowMs, appId, nodeId));
        }
        return new PlaceResult(winner, created[0]);
    }

    @Override
    public void touch(String appId, long nowMs) {
        byApp.computeIfPresent(appId, (id, p) -> new Placement(id, p.nodeId(), nowMs));
    }

    @Override
    public void assign(String appId, long nodeId, long nowMs) {
        Placement[] before = {null};
        byApp.compute(appId, (id, current) -> {
            before[0] = current;
            if (current == null) {
                index(id, nodeId);
                return new Placement(id, nodeId, nowMs);
            }
            if (current.nodeId() != nodeId) {
                unindex(id, current.nodeId());
                index(id, nodeId);
                addToBacklog(id, current.nodeId(), nodeId, nowMs, MoveReason.REASSIGN);
            }
            return new Placement(id, nodeId, current.lastActiveAt());
        });
        if (before[0] == null) {
            changes.append(Change.placed(nowMs, appId, nodeId));
        } else if (before[0].nodeId() != nodeId) {
            changes.append(Change.moved(nowMs, appId, before[0].nodeId(), nodeId, MoveReason.REASSIGN.wire()));
        }
    }

    @Override
    public Map<Long, Integer> moveApps(long sourceNodeId, Map<String, Long> targetByApp, long nowMs,
                                       MoveReason reason) {
        Map<Long, Integer> movedByTarget = new HashMap<>();
        targetByApp.forEach((appId, targetNodeId) -> {
            if (moveIfOn(appId, sourceNodeId, targetNodeId, nowMs, reason)) {
                movedByTarget.merge(targetNodeId, 1, Integer::sum);
                changes.append(Change.moved(nowMs, appId, sourceNodeId, targetNodeId, reason.wire()));
            }
        });
        return movedByTarget;
    }

    @Override
    public int moveFirstApps(long sourceNodeId, long targetNodeId, int limit, long nowMs, MoveReason reason) {
        NavigableSet<String> apps = appsByNode.get(sourceNodeId);
        if (apps == null || targetNodeId == sourceNodeId) {
            return 0;
        }
        int moved = 0;
        // The iterator is weakly consistent: apps that concurrent moves take away are skipped by moveIfOn.
        for (Iterator<String> it = apps.iterator(); moved < limit && it.hasNext(); ) {
            String appId = it.next();
            if (moveIfOn(appId, sourceNodeId, targetNodeId, nowMs, reason)) {
                moved++;
                changes.append(Change.moved(nowMs, appId, sourceNodeId, targetNodeId, reason.wire()));
            }
        }
        return moved;
    }

    /** Moves the app to the target if it is on the source; true when this call moved it. */
    private boolean moveIfOn(String appId, long sourceNodeId, long targetNodeId, long nowMs, MoveReason reason) {
        if (targetNodeId == sourceNodeId) {
            return false;
        }
        boolean[] changed = {false};
        byApp.computeIfPresent(appId, (id, current) -> {
            if (current.nodeId() != sourceNodeId) {
                return current;
            }
            changed[0] = true;
            unindex(id, sourceNodeId);
            index(id, targetNodeId);
            addToBacklog(id, sourceNodeId, targetNodeId, nowMs, reason);
            return new Placement(id, targetNodeId, current.lastActiveAt());
        });
        return changed[0];
    }

    private void addToBacklog(String appId, long fromNodeId, long toNodeId, long nowMs, MoveReason reason) {
        backlog.merge(appId, new PendingRedeploy(appId, fromNodeId, toNodeId, nowMs, reason.wire()),
                PendingRedeploy::movedAgain);
    }

    @Override
    public long countByNode(long nodeId) {
        AtomicLong count = countByNode.get(nodeId);
        return count == null ? 0 : count.get();
    }

    @Override
    public Map<Long, Long> countAllByNode() {
        Map<Long, Long> counts = new HashMap<>();
        countByNode.forEach((nodeId, count) -> {
            long value = count.get();
            if (value > 0) {
                counts.put(nodeId, value);
            }
        });
        return counts;
    }

    @Override
    public List<String> firstAppIds(long nodeId, int limit) {
        return findByNode(nodeId, 0, limit).stream().map(Placement::appId).toList();
    }

    @Override
    public Map<Long, Long> countByNodes(Collection<Long> nodeIds) {
        Map<Long, Long> counts = new HashMap<>();
        for (Long nodeId : nodeIds) {
            AtomicLong count = countByNode.get(nodeId);
            if (count != null && count.get() > 0) {
                counts.put(nodeId, count.get());
            }
        }
        return counts;
    }

    @Override
    public List<Placement> findByNode(long nodeId, long offset, int limit) {
        NavigableSet<String> apps = appsByNode.get(nodeId);
        return apps == null ? List.of() : page(nodeId, apps, offset, limit);
    }

    @Override
    public List<Placement> findByNodeAfter(long nodeId, String afterAppId, int limit) {
        NavigableSet<String> apps = appsByNode.get(nodeId);
        return apps == null ? List.of() : page(nodeId, apps.tailSet(afterAppId, false), 0, limit);
    }

    private List<Placement> page(long nodeId, NavigableSet<String> apps, long offset, int limit) {
        List<Placement> page = new ArrayList<>(Math.min(limit, 256));
        long skipped = 0;
        for (String appId : apps) {
            if (skipped++ < offset) {
                continue;
            }
            Placement p = byApp.get(appId);
            if (p != null && p.nodeId() == nodeId) {
                page.add(p);
            }
            if (page.size() == limit) {
                break;
            }
        }
        return page;
    }

    private void index(String appId, long nodeId) {
        appsByNode.computeIfAbsent(nodeId, id -> new ConcurrentSkipListSet<>()).add(appId);
        countByNode.computeIfAbsent(nodeId, id -> new AtomicLong()).incrementAndGet();
    }

    private void unindex(String appId, long nodeId) {
        appsByNode.get(nodeId).remove(appId);
        countByNode.get(nodeId).decrementAndGet();
    }

    @Override
    public Optional<PendingRedeploy> findPendingRedeploy(String appId) {
        return Optional.ofNullable(backlog.get(appId));
    }

    @Override
    public List<PendingRedeploy> findPendingRedeploys(String afterAppId, int limit) {
        return (afterAppId == null ? backlog : backlog.tailMap(afterAppId, false)).values().stream()
                .limit(limit).toList();
    }

    @Override
    public long countPendingRedeploys() {
        return backlog.size();
    }

    @Override
    public void redeployed(String appId, long nodeId) {
        backlog.computeIfPresent(appId, (id, pending) -> pending.toNodeId() == nodeId ? null : pending);
    }
}
