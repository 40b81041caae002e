package fun.ai.studio.deploy.audit;

import java.util.List;

/** A page of the audit trail, newest first; {@code nextBefore} fetches the next (older) page, null at the end. */
public record AuditPage(List<AuditEntry> items, Long nextBefore) {
}
