package fun.ai.studio.deploy.persistence.jpa;

import fun.ai.studio.deploy.changes.Change;
import fun.ai.studio.deploy.placement.MoveReason;
import fun.ai.studio.deploy.placement.PendingRedeploy;
import fun.ai.studio.deploy.placement.Placement;
import fun.ai.studio.deploy.placement.PlacementRepository;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Placements in the database, one row per appId (the primary key). First placement is insert-if-absent and then
 * a read of the winner; a move first locks the apps still on the source, so it knows exactly which apps it moves,
 * even across instances sharing the database. Each change is recorded in the change log in its transaction.
 */
class JpaPlacementRepository implements PlacementRepository {

    // Apps per UPDATE ... IN (...) of a bulk move.
    static final int IN_LIST = 1_000;

    private final PlacementEntityRepository rows;
    private final WriteTransactions transactions;
    private final JpaChangeLog changes;
    private final RedeployBacklogTable backlog;

    JpaPlacementRepository(PlacementEntityRepository rows, WriteTransactions transactions, JpaChangeLog changes,
                           RedeployBacklogTable backlog) {
        this.rows = rows;
        this.transactions = transactions;
        this.changes = changes;
        this.backlog = backlog;
    }

    @Override
    public Optional<Placement> find(String appId) {
        return rows.findById(appId).map(PlacementEntity::toDomain);
    }

    @Override
    public PlaceResult placeIfAbsent(String appId, long nodeId, long nowMs) {
        return transactions.execute(() -> {
            boolean created = rows.insertIfAbsent(appId, nodeId, nowMs, UtcTimes.column(nowMs)) > 0;
            Placement winner = rows.findById(appId).map(PlacementEntity::toDomain)
                    .orElseThrow(() -> new IllegalStateException("placement of '" + appId + "' missing after insert"));
            if (created) {
                changes.append(List.of(Change.placed(nowMs, appId, nodeId)));
            }
            return new PlaceResult(winner, created);
        });
    }

    @Override
    public void touch(String appId, long nowMs) {
        transactions.execute(() -> rows.touch(appId, nowMs, UtcTimes.column(nowMs)));
    }

    @Override
    public void assign(String appId, long nodeId, long nowMs) {
        transactions.execute(() -> {
            Optional<Long> from = rows.lockNodeOf(appId);
            rows.assign(appId, nodeId, nowMs, UtcTimes.column(nowMs));
            if (from.isEmpty()) {
                changes.append(List.of(Change.placed(nowMs, appId, nodeId)));
            } else if (from.get() != nodeId) {
                recordMoves(List.of(Change.moved(nowMs, appId, from.get(), nodeId, MoveReason.REASSIGN.wire())));
            }
            return null;
        });
    }

    @Override
    public Map<Long, Integer> moveApps(long sourceNodeId, Map<String, Long> targetByApp, long nowMs,
                                       MoveReason reason) {
        Map<Long, List<String>> appsByTarget = targetByApp.entrySet().stream()
                .filter(entry -> entry.getValue() != sourceNodeId)
                .collect(Collectors.groupingBy(Map.Entry::getValue, LinkedHashMap::new,
                        Collectors.mapping(Map.Entry::getKey, Collectors.toCollection(ArrayList::new))));
        if (appsByTarget.isEmpty()) {
            return Map.of();
        }
        String now = UtcTimes.column(nowMs);
        return transactions.execute(() -> {
            // One statement locks every listed app still on the source, in appId order as every move locks them.
            Set<String> onSource = new HashSet<>(rows.lockAppsOnNode(sourceNodeId,
                    appsByTarget.values().stream().flatMap(List::stream).toList()));
            Map<Long, Integer> movedByTarget = new HashMap<>();
            List<Change> moves = new ArrayList<>();
            appsByTarget.forEach((targetNodeId, appIds) -> {
                int moved = move(sourceNodeId, targetNodeId, appIds.stream().filter(onSource::contains).toList(),
                        nowMs, reason, moves);
                if (moved > 0) {
                    movedByTarget.put(targetNodeId, moved);
                }
            });
            recordMoves(moves);
            return movedByTarget;
        });
    }

    @Override
    public int moveFirstApps(long sourceNodeId, long targetNodeId, int limit, long nowMs, MoveReason reason) {
        if (targetNodeId == sourceNodeId) {
            return 0;
        }
        return transactions.execute(() -> {
            List<Change> moves = new ArrayList<>();
            int moved = move(sourceNodeId, targetNodeId, rows.lockFirstAppsOnNode(sourceNodeId, limit), nowMs, reason,
                    moves);
            recordMoves(moves);
            return moved;
        });
    }

    /** In the move's transaction: the change log's entries, and the moved apps into the redeploy backlog. */
    private void recordMoves(List<Change> moves) {
        backlog.addMoves(moves);
        changes.append(moves);
    }

    /**
     * Moves apps whose rows this transaction has locked on the source, so each is moved by this call alone, and
     * adds a change for each to {@code moves}; returns how many moved.
     */
    private int move(long sourceNodeId, long targetNodeId, List<String> lockedOnSource, long nowMs, MoveReason reason,
                     List<Change> moves) {
        String now = UtcTimes.column(nowMs);
        int moved = 0;
        for (int from = 0; from < lockedOnSource.size(); from += IN_LIST) {
            moved += rows.moveApps(sourceNodeId, targetNodeId,
                    lockedOnSource.subList(from, Math.min(lockedOnSource.size(), from + IN_LIST)), now);
        }
        lockedOnSource.forEach(appId -> moves.add(Change.moved(nowMs, appId, sourceNodeId, targetNodeId,
                reason.wire())));
        return moved;
    }

    @Override
    public long countByNode(long nodeId) {
        return rows.countByNodeId(nodeId);
    }

    @Override
    public Map<Long, Long> countAllByNode() {
        return rows.countGroupedByNode().stream()
                .collect(Collectors.toMap(PlacementEntityRepository.NodeCount::nodeId,
                        PlacementEntityRepository.NodeCount::placements));
    }

    @Override
    public List<String> firstAppIds(long nodeId, int limit) {
        return rows.findFirstAppIdsByNode(nodeId, limit);
    }

    @Override
    public Map<Long, Long> countByNodes(Collection<Long> nodeIds) {
        if (nodeIds.isEmpty()) {
            return Map.of();
        }
        return rows.countGroupedByNodeIn(nodeIds).stream()
                .collect(Collectors.toMap(PlacementEntityRepository.NodeCount::nodeId,
                        PlacementEntityRepository.NodeCount::placements));
    }

    @Override
    public List<Placement> findByNode(long nodeId, long offset, int limit) {
        return rows.findPageByNode(nodeId, offset, limit).stream().map(PlacementEntity::toDomain).toList();
    }

    @Override
    public List<Placement> findByNodeAfter(long nodeId, String afterAppId, int limit) {
        return rows.findPageByNodeAfter(nodeId, afterAppId, limit).stream().map(PlacementEntity::toDomain).toList();
    }

    @Override
    public Optional<PendingRedeploy> findPendingRedeploy(String appId) {
        return backlog.find(appId);
    }

    @Override
    public List<PendingRedeploy> findPendingRedeploys(String afterAppId, int limit) {
        return backlog.after(afterAppId, limit);
    }

    @Override
    public long countPendingRedeploys() {
        return backlog.count();
    }

    @Override
    public void redeployed(String appId, long nodeId) {
        transactions.execute(() -> {
            backlog.remove(appId, nodeId);
            return null;
        });
    }
}
