package fun.ai.studio.deploy.placement;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Placement counts per node for one placement decision or one drain plan. The stored counts are read on the
 * first {@link #of} only, so a plan whose strategy never asks (every strategy but least-loaded, or a drain to a
 * named target) never counts the table; choices added by a plan are kept apart and included in later answers.
 * Not thread-safe: one instance serves one request.
 */
final class NodeLoads {

    private final Supplier<Map<Long, Long>> source;
    private final Map<Long, Long> added = new HashMap<>();
    private Map<Long, Long> stored;

    NodeLoads(Supplier<Map<Long, Long>> source) {
        this.source = source;
    }

    public long of(long nodeId) {
        if (stored == null) {
            stored = source.get();
        }
        return stored.getOrDefault(nodeId, 0L) + added.getOrDefault(nodeId, 0L);
    }

    public void add(long nodeId) {
        added.merge(nodeId, 1L, Long::sum);
    }
}
