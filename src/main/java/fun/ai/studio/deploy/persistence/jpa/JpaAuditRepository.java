package fun.ai.studio.deploy.persistence.jpa;

import fun.ai.studio.deploy.audit.AuditEntry;
import fun.ai.studio.deploy.audit.AuditRepository;
import org.springframework.data.domain.Limit;

import java.util.List;

/** The audit trail in the database: every entry is kept, and ids come from the table's auto-increment. */
class JpaAuditRepository implements AuditRepository {

    private final AdminAuditEntityRepository rows;

    JpaAuditRepository(AdminAuditEntityRepository rows) {
        this.rows = rows;
    }

    @Override
    public AuditEntry append(AuditEntry entry) {
        return rows.save(new AdminAuditEntity(entry)).toDomain();
    }

    @Override
    public List<AuditEntry> findBefore(Long beforeId, int limit) {
        List<AdminAuditEntity> page = beforeId == null ? rows.findAllByOrderByIdDesc(Limit.of(limit))
                : rows.findByIdLessThanOrderByIdDesc(beforeId, Limit.of(limit));
        return page.stream().map(AdminAuditEntity::toDomain).toList();
    }
}
