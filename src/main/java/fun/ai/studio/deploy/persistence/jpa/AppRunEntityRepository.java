package fun.ai.studio.deploy.persistence.jpa;

import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

import java.util.Optional;

/**
 * Spring Data access to {@code fun_ai_deploy_app_run}; a report is one upsert keyed by appId, and {@code now} is the
 * UTC datetime literal from {@link UtcTimes}.
 */
interface AppRunEntityRepository extends Repository<AppRunEntity, String> {

    Optional<AppRunEntity> findById(String appId);

    /** Creates or replaces the row; a null {@code lastDeployedAt} keeps the stored value. */
    @Modifying
    @Query(nativeQuery = true, value = """
            INSERT INTO fun_ai_deploy_app_run
                   (app_id, node_id, last_job_id, last_job_status, last_error, last_deployed_at, last_active_at,
                    create_time, update_time)
            VALUES (:appId, :nodeId, :lastJobId, :lastJobStatus, :lastError, :lastDeployedAt, :lastActiveAt,
                    :now, :now)
            ON DUPLICATE KEY UPDATE
                   node_id = :nodeId, last_job_id = :lastJobId, last_job_status = :lastJobStatus,
                   last_error = :lastError, last_deployed_at = COALESCE(:lastDeployedAt, last_deployed_at),
                   last_active_at = :lastActiveAt, update_time = :now""")
    int upsert(String appId, Long nodeId, String lastJobId, String lastJobStatus, String lastError,
               Long lastDeployedAt, Long lastActiveAt, String now);
}
