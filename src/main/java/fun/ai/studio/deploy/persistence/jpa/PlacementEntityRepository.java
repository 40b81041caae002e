package fun.ai.studio.deploy.persistence.jpa;

import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Spring Data access to {@code fun_ai_deploy_runtime_placement}. Writes are single conditional statements whose
 * affected-row counts tell the caller what happened; node pages walk the {@code (node_id, app_id)} index.
 * {@code now} is the UTC datetime literal from {@link UtcTimes}.
 */
interface PlacementEntityRepository extends Repository<PlacementEntity, String> {

    /** A node's placement count, as returned by {@link #countGroupedByNode()}. */
    record NodeCount(long nodeId, long placements) {
    }

    Optional<PlacementEntity> findById(String appId);

    long countByNodeId(long nodeId);

    @Query("select new fun.ai.studio.deploy.persistence.jpa.PlacementEntityRepository$NodeCount(p.nodeId, count(p))"
            + " from PlacementEntity p group by p.nodeId")
    List<NodeCount> countGroupedByNode();

    /** AppIds alone, so the read stays in the {@code (node_id, app_id)} index and builds no entities. */
    @Query(nativeQuery = true, value = """
            SELECT app_id FROM fun_ai_deploy_runtime_placement
             WHERE node_id = :nodeId
             ORDER BY app_id
             LIMIT :limit""")
    List<String> findFirstAppIdsByNode(long nodeId, int limit);

    @Query("select new fun.ai.studio.deploy.persistence.jpa.PlacementEntityRepository$NodeCount(p.nodeId, count(p))"
            + " from PlacementEntity p where p.nodeId in :nodeIds group by p.nodeId")
    List<NodeCount> countGroupedByNodeIn(Collection<Long> nodeIds);

    @Query(nativeQuery = true, value = """
            SELECT * FROM fun_ai_deploy_runtime_placement
             WHERE node_id = :nodeId
             ORDER BY app_id
             LIMIT :limit OFFSET :offset""")
    List<PlacementEntity> findPageByNode(long nodeId, long offset, int limit);

    @Query(nativeQuery = true, value = """
            SELECT * FROM fun_ai_deploy_runtime_placement
             WHERE node_id = :nodeId AND app_id > :afterAppId
             ORDER BY app_id
             LIMIT :limit""")
    List<PlacementEntity> findPageByNodeAfter(long nodeId, String afterAppId, int limit);

    /**
     * Inserts the placement unless the app has one; 1 when inserted, 0 when another row was there. IGNORE rather
     * than ON DUPLICATE KEY UPDATE because Connector/J reports a no-op update as 1 row, hiding who inserted.
     */
    @Modifying
    @Query(nativeQuery = true, value = """
            INSERT IGNORE INTO fun_ai_deploy_runtime_placement (app_id, node_id, last_active_at, create_time, update_time)
            VALUES (:appId, :nodeId, :nowMs, :now, :now)""")
    int insertIfAbsent(String appId, long nodeId, long nowMs, String now);

    @Modifying
    @Query(nativeQuery = true, value = """
            UPDATE fun_ai_deploy_runtime_placement SET last_active_at = :nowMs, update_time = :now
             WHERE app_id = :appId""")
    int touch(String appId, long nowMs, String now);

    @Modifying
    @Query(nativeQuery = true, value = """
            INSERT INTO fun_ai_deploy_runtime_placement (app_id, node_id, last_active_at, create_time, update_time)
            VALUES (:appId, :nodeId, :nowMs, :now, :now)
            ON DUPLICATE KEY UPDATE node_id = :nodeId, update_time = :now""")
    int assign(String appId, long nodeId, long nowMs, String now);

    /** Moves those of the apps still on the source node; the count is how many this statement moved. */
    @Modifying
    @Query(nativeQuery = true, value = """
            UPDATE fun_ai_deploy_runtime_placement SET node_id = :targetNodeId, update_time = :now
             WHERE node_id = :sourceNodeId AND app_id IN (:appIds)""")
    int moveApps(long sourceNodeId, long targetNodeId, Collection<String> appIds, String now);

    /** Locks the app's row until the transaction ends and gives its node, so a reassign knows where it moves from. */
    @Query(nativeQuery = true, value = "SELECT node_id FROM fun_ai_deploy_runtime_placement WHERE app_id = :appId FOR UPDATE")
    Optional<Long> lockNodeOf(String appId);

    /** Locks the listed apps that are on the node and gives them: exactly the apps the move that follows moves. */
    @Query(nativeQuery = true, value = """
            SELECT app_id FROM fun_ai_deploy_runtime_placement
             WHERE node_id = :nodeId AND app_id IN (:appIds)
             ORDER BY app_id
             FOR UPDATE""")
    List<String> lockAppsOnNode(long nodeId, Collection<String> appIds);

    /**
     * Locks the node's first {@code limit} apps in appId order and gives them. InnoDB re-checks {@code node_id} on
     * each row it locks, so an app a concurrent move took is skipped, not moved twice.
     */
    @Query(nativeQuery = true, value = """
            SELECT app_id FROM fun_ai_deploy_runtime_placement
             WHERE node_id = :nodeId
             ORDER BY app_id
             LIMIT :limit
             FOR UPDATE""")
    List<String> lockFirstAppsOnNode(long nodeId, int limit);
}
