package fun.ai.studio.deploy.persistence.jpa;

import fun.ai.studio.deploy.placement.Placement;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import lombok.AccessLevel;
import lombok.NoArgsConstructor;
import org.hibernate.annotations.Immutable;

/** A row of {@code fun_ai_deploy_runtime_placement}, read-only to Hibernate; writes are native statements. */
@Entity
@Immutable
@Table(name = "fun_ai_deploy_runtime_placement")
@NoArgsConstructor(access = AccessLevel.PROTECTED)
class PlacementEntity extends RowTimes {

    @Id
    @Column(name = "app_id", length = 128)
    private String appId;

    @Column(name = "node_id", nullable = false)
    private long nodeId;

    @Column(name = "last_active_at", nullable = false)
    private long lastActiveAt;

    Placement toDomain() {
        return new Placement(appId, nodeId, lastActiveAt);
    }
}
