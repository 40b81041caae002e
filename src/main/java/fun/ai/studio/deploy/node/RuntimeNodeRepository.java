package fun.ai.studio.deploy.node;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stores runtime nodes, unique by name. */
public interface RuntimeNodeRepository {

    /**
     * Creates the node (enabled, default weight) or replaces its URLs and metrics, and sets its heartbeat time.
     * Concurrent calls for one name, on one instance or several sharing the store, leave exactly one node.
     */
    RuntimeNode recordHeartbeat(Heartbeat heartbeat, Instant now);

    /**
     * Creates the node or updates it by name without touching its heartbeat time; null fields of
     * {@code enabled}/{@code weight} keep the stored values (or take the defaults on create). Atomic per name.
     */
    RuntimeNode upsert(NodeUpsert upsert, Instant now);

    /** Sets {@code enabled} on an existing node; returns false, creating nothing, when the name is unknown. */
    boolean setEnabled(String name, boolean enabled, Instant now);

    Optional<RuntimeNode> findById(long id);

    Optional<RuntimeNode> findByName(String name);

    /** Every node, ordered by id. */
    List<RuntimeNode> findAll();
}
