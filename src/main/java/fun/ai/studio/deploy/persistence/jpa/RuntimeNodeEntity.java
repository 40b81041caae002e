package fun.ai.studio.deploy.persistence.jpa;

import fun.ai.studio.deploy.node.RuntimeNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import lombok.AccessLevel;
import lombok.NoArgsConstructor;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.LocalDateTime;

/**
 * A row of {@code fun_ai_deploy_runtime_node}, read-only to Hibernate: every write is one native statement
 * in {@link RuntimeNodeEntityRepository}, so there is no dirty checking to race with.
 */
@Entity
@Immutable
@Table(name = "fun_ai_deploy_runtime_node")
@NoArgsConstructor(access = AccessLevel.PROTECTED)
class RuntimeNodeEntity extends RowTimes {

    @Id
    private long id;

    @Column(name = "name", nullable = false, length = 64)
    private String name;

    @Column(name = "agent_base_url", length = 512)
    private String agentBaseUrl;

    @Column(name = "gateway_base_url", length = 512)
    private String gatewayBaseUrl;

    // The table keeps the seed's tinyint 0/1 rather than a boolean/bit column.
    @JdbcTypeCode(SqlTypes.TINYINT)
    @Column(name = "enabled", nullable = false)
    private boolean enabled;

    @Column(name = "weight", nullable = false)
    private int weight;

    @JdbcTypeCode(SqlTypes.LOCAL_DATE_TIME)
    @Column(name = "last_heartbeat_at")
    private LocalDateTime lastHeartbeatAt;

    @Column(name = "disk_free_pct")
    private Double diskFreePct;

    @Column(name = "disk_free_bytes")
    private Long diskFreeBytes;

    @Column(name = "container_count")
    private Integer containerCount;

    RuntimeNode toDomain() {
        return new RuntimeNode(id, name, agentBaseUrl, gatewayBaseUrl, enabled, weight,
                UtcTimes.toInstant(lastHeartbeatAt), diskFreePct, diskFreeBytes, containerCount);
    }
}
