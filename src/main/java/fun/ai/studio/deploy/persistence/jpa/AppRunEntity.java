package fun.ai.studio.deploy.persistence.jpa;

import fun.ai.studio.deploy.apprun.AppRun;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import lombok.AccessLevel;
import lombok.NoArgsConstructor;
import org.hibernate.annotations.Immutable;

/** A row of {@code fun_ai_deploy_app_run}, read-only to Hibernate; writes are native statements. */
@Entity
@Immutable
@Table(name = "fun_ai_deploy_app_run")
@NoArgsConstructor(access = AccessLevel.PROTECTED)
class AppRunEntity extends RowTimes {

    @Id
    @Column(name = "app_id", length = 128)
    private String appId;

    @Column(name = "node_id")
    private Long nodeId;

    @Column(name = "last_job_id", length = 128)
    private String lastJobId;

    @Column(name = "last_job_status", length = 16)
    private String lastJobStatus;

    @Column(name = "last_error", length = 4000)
    private String lastError;

    @Column(name = "last_deployed_at")
    private Long lastDeployedAt;

    @Column(name = "last_active_at")
    private Long lastActiveAt;

    AppRun toDomain() {
        return new AppRun(appId, nodeId, lastJobId, lastJobStatus, lastError, lastDeployedAt, lastActiveAt);
    }
}
