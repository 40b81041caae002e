package fun.ai.studio.deploy.persistence.jpa;

import fun.ai.studio.deploy.audit.AuditEntry;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import lombok.AccessLevel;
import lombok.NoArgsConstructor;

/** A row of {@code fun_ai_deploy_admin_audit}; rows are only ever inserted. */
@Entity
@Table(name = "fun_ai_deploy_admin_audit")
@NoArgsConstructor(access = AccessLevel.PROTECTED)
class AdminAuditEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "at_ms", nullable = false)
    private long atMs;

    @Column(name = "client_address", length = 64, nullable = false)
    private String clientAddress;

    @Column(name = "action", length = 32, nullable = false)
    private String action;

    @Column(name = "request", length = 2000)
    private String request;

    @Column(name = "status", nullable = false)
    private int status;

    @Column(name = "outcome", length = 2000)
    private String outcome;

    AdminAuditEntity(AuditEntry entry) {
        this.atMs = entry.at();
        this.clientAddress = entry.clientAddress();
        this.action = entry.action();
        this.request = entry.request();
        this.status = entry.status();
        this.outcome = entry.outcome();
    }

    AuditEntry toDomain() {
        return new AuditEntry(id, atMs, clientAddress, action, request, status, outcome);
    }
}
