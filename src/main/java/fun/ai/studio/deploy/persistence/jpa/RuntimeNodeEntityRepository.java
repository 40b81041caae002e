package fun.ai.studio.deploy.persistence.jpa;

import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Spring Data access to {@code fun_ai_deploy_runtime_node}. Each write is a single atomic statement keyed by the
 * unique name; {@code enabled} is bound as 1/0 (null = keep) to match the tinyint column, and {@code now} is the
 * UTC datetime literal from {@link UtcTimes}.
 */
interface RuntimeNodeEntityRepository extends Repository<RuntimeNodeEntity, Long> {

    Optional<RuntimeNodeEntity> findById(long id);

    Optional<RuntimeNodeEntity> findByName(String name);

    List<RuntimeNodeEntity> findAllByOrderByIdAsc();

    List<RuntimeNodeEntity> findByIdIn(Collection<Long> ids);

    /** See {@code RuntimeNodeRepository.findUpdatedSince}; {@code watched} must not be empty. */
    @Query(nativeQuery = true, value = """
            SELECT * FROM fun_ai_deploy_runtime_node
             WHERE update_time >= :since
               AND (enabled = 0 OR agent_base_url IS NULL OR gateway_base_url IS NULL OR create_time >= :since
                    OR id IN (:watched))""")
    List<RuntimeNodeEntity> findUpdatedSince(String since, Collection<Long> watched);

    @Query(nativeQuery = true, value = "SELECT * FROM fun_ai_deploy_runtime_node WHERE update_time >= :since")
    List<RuntimeNodeEntity> findAllUpdatedSince(String since);

    /** Keyset page on the primary key: reads only the rows it returns. */
    @Query(nativeQuery = true,
            value = "SELECT * FROM fun_ai_deploy_runtime_node WHERE id > :afterId ORDER BY id LIMIT :limit")
    List<RuntimeNodeEntity> findPageAfter(long afterId, int limit);

    long count();

    /** Locks the node's row until the transaction ends, so what it read is what the next write replaces. */
    @Query(nativeQuery = true, value = "SELECT * FROM fun_ai_deploy_runtime_node WHERE name = :name FOR UPDATE")
    Optional<RuntimeNodeEntity> lockByName(String name);

    /** A heartbeat of a known node whose URLs are as stored: nearly every heartbeat. */
    @Modifying
    @Query(nativeQuery = true, value = """
            UPDATE fun_ai_deploy_runtime_node
               SET last_heartbeat_at = :now, disk_free_pct = :diskFreePct, disk_free_bytes = :diskFreeBytes,
                   container_count = :containerCount, update_time = :now
             WHERE name = :name AND agent_base_url = :agentBaseUrl AND gateway_base_url = :gatewayBaseUrl""")
    int updateHeartbeatWithSameUrls(String name, String agentBaseUrl, String gatewayBaseUrl, Double diskFreePct,
                                    Long diskFreeBytes, Integer containerCount, String now);

    // Clears the persistence context: the row read by lockByName must not stand in for the one written here.
    @Modifying(clearAutomatically = true)
    @Query(nativeQuery = true, value = """
            UPDATE fun_ai_deploy_runtime_node
               SET agent_base_url = :agentBaseUrl, gateway_base_url = :gatewayBaseUrl, last_heartbeat_at = :now,
                   disk_free_pct = :diskFreePct, disk_free_bytes = :diskFreeBytes, container_count = :containerCount,
                   update_time = :now
             WHERE name = :name""")
    int updateHeartbeat(String name, String agentBaseUrl, String gatewayBaseUrl, Double diskFreePct,
                        Long diskFreeBytes, Integer containerCount, String now);

    /** Creates the node; 0 when a concurrent writer created it first. */
    @Modifying
    @Query(nativeQuery = true, value = """
            INSERT IGNORE INTO fun_ai_deploy_runtime_node
                   (name, agent_base_url, gateway_base_url, enabled, weight, last_heartbeat_at,
                    disk_free_pct, disk_free_bytes, container_count, create_time, update_time)
            VALUES (:name, :agentBaseUrl, :gatewayBaseUrl, :enabled, :defaultWeight, :now,
                    :diskFreePct, :diskFreeBytes, :containerCount, :now, :now)""")
    int insertHeartbeatIfAbsent(String name, String agentBaseUrl, String gatewayBaseUrl, Double diskFreePct,
                                Long diskFreeBytes, Integer containerCount, int enabled, int defaultWeight, String now);

    // Clears the persistence context, as updateHeartbeat does: the row lockByName read is the one replaced here.
    @Modifying(clearAutomatically = true)
    @Query(nativeQuery = true, value = """
            UPDATE fun_ai_deploy_runtime_node
               SET agent_base_url = :agentBaseUrl, gateway_base_url = :gatewayBaseUrl,
                   enabled = COALESCE(:enabled, enabled), weight = COALESCE(:weight, weight), update_time = :now
             WHERE name = :name""")
    int updateByName(String name, String agentBaseUrl, String gatewayBaseUrl, Integer enabled, Integer weight,
                     String now);

    @Modifying
    @Query(nativeQuery = true, value = """
            INSERT INTO fun_ai_deploy_runtime_node
                   (name, agent_base_url, gateway_base_url, enabled, weight, create_time, update_time)
            VALUES (:name, :agentBaseUrl, :gatewayBaseUrl, :enabledOnCreate, :weightOnCreate, :now, :now)
            ON DUPLICATE KEY UPDATE
                   agent_base_url = :agentBaseUrl, gateway_base_url = :gatewayBaseUrl,
                   enabled = COALESCE(:enabled, enabled), weight = COALESCE(:weight, weight), update_time = :now""")
    int insertOrUpdate(String name, String agentBaseUrl, String gatewayBaseUrl, Integer enabled, Integer weight,
                       int enabledOnCreate, int weightOnCreate, String now);

    @Modifying(clearAutomatically = true)
    @Query(nativeQuery = true, value = """
            UPDATE fun_ai_deploy_runtime_node SET enabled = :enabled, update_time = :now WHERE name = :name""")
    int setEnabled(String name, int enabled, String now);
}
