package fun.ai.studio.deploy.node;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Stores runtime nodes, unique by name. A create beyond {@code maxNodes} throws {@link NodeLimitReached} and writes
 * nothing; concurrent creates never pass the limit in one process (instances sharing a database: see each
 * implementation).
 */
public interface RuntimeNodeRepository {

    /**
     * Creates the node (enabled or not as {@code newNodes} says, default weight) or replaces its URLs and metrics,
     * and sets its heartbeat time. Concurrent calls for one name, on one instance or several sharing the store,
     * leave exactly one node, and exactly one of them reports it created.
     */
    RecordedHeartbeat recordHeartbeat(Heartbeat heartbeat, NewNodePolicy newNodes, Instant now);

    /**
     * Creates the node or updates it by name without touching its heartbeat time; null fields of
     * {@code enabled}/{@code weight} keep the stored values (or take the defaults on create). Atomic per name.
     */
    RuntimeNode upsert(NodeUpsert upsert, int maxNodes, Instant now);

    /** Sets {@code enabled} on an existing node; returns false, creating nothing, when the name is unknown. */
    boolean setEnabled(String name, boolean enabled, Instant now);

    Optional<RuntimeNode> findById(long id);

    Optional<RuntimeNode> findByName(String name);

    /** Every node, ordered by id. */
    List<RuntimeNode> findAll();

    /** Up to {@code limit} nodes with an id above {@code afterId}, ordered by id, read without reading the others. */
    List<RuntimeNode> findPageAfter(long afterId, int limit);

    /** The nodes of these ids that exist, in no particular order. */
    List<RuntimeNode> findByIds(Collection<Long> ids);

    /**
     * For a store that other instances write too: the nodes updated at or after {@code since} that may have started
     * or stopped taking new apps there, that is those disabled or without a URL, those created since, and those in
     * {@code watched}; every node updated since when {@code watched} is null. So an instance can follow the others'
     * changes without reading every node. A store that only this instance writes has nothing to report.
     */
    default List<RuntimeNode> findUpdatedSince(Instant since, Collection<Long> watched) {
        return List.of();
    }
}
