package fun.ai.studio.deploy.persistence.jpa;

import fun.ai.studio.deploy.placement.Placement;
import fun.ai.studio.deploy.placement.PlacementRepository;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Placements in the database, one row per appId (the primary key). First placement is insert-if-absent and then
 * a read of the winner; moves are conditional on the source node, so the affected-row counts say exactly who
 * stored or moved what, even across instances sharing the database.
 */
class JpaPlacementRepository implements PlacementRepository {

    private final PlacementEntityRepository rows;
    private final WriteTransactions transactions;

    JpaPlacementRepository(PlacementEntityRepository rows, WriteTransactions transactions) {
        this.rows = rows;
        this.transactions = transactions;
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
            return new PlaceResult(winner, created);
        });
    }

    @Override
    public void touch(String appId, long nowMs) {
        transactions.execute(() -> rows.touch(appId, nowMs, UtcTimes.column(nowMs)));
    }

    @Override
    public void assign(String appId, long nodeId, long nowMs) {
        transactions.execute(() -> rows.assign(appId, nodeId, nowMs, UtcTimes.column(nowMs)));
    }

    @Override
    public Map<Long, Integer> moveApps(long sourceNodeId, Map<String, Long> targetByApp, long nowMs) {
        Map<Long, List<String>> appsByTarget = targetByApp.entrySet().stream()
                .filter(entry -> entry.getValue() != sourceNodeId)
                .collect(Collectors.groupingBy(Map.Entry::getValue, LinkedHashMap::new,
                        Collectors.mapping(Map.Entry::getKey, Collectors.toCollection(ArrayList::new))));
        if (appsByTarget.isEmpty()) {
            return Map.of();
        }
        String now = UtcTimes.column(nowMs);
        return transactions.execute(() -> {
            Map<Long, Integer> movedByTarget = new HashMap<>();
            appsByTarget.forEach((targetNodeId, appIds) -> {
                int moved = rows.moveApps(sourceNodeId, targetNodeId, appIds, now);
                if (moved > 0) {
                    movedByTarget.put(targetNodeId, moved);
                }
            });
            return movedByTarget;
        });
    }

    @Override
    public int moveFirstApps(long sourceNodeId, long targetNodeId, int limit, long nowMs) {
        if (targetNodeId == sourceNodeId) {
            return 0;
        }
        String now = UtcTimes.column(nowMs);
        return transactions.execute(() -> rows.moveFirstApps(sourceNodeId, targetNodeId, limit, now));
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
}
