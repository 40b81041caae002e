package fun.ai.studio.deploy.audit;

import java.util.List;

/** Stores the admin audit trail; appends from any number of threads are kept, each with its own id. */
public interface AuditRepository {

    /** Stores the entry (its {@code id} is ignored) and returns it with the id it was given. */
    AuditEntry append(AuditEntry entry);

    /** Up to {@code limit} entries, newest first, with ids below {@code beforeId} when it is not null. */
    List<AuditEntry> findBefore(Long beforeId, int limit);
}
