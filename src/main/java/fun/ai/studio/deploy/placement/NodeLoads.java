package fun.ai.studio.deploy.placement;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Placement counts per node for one placement decision or one drain plan. The counts are read from the
 * store on first use only, and a plan that places several apps adds each choice so later choices see it.
 * Not thread-safe: one instance serves one request.
 */
public final class NodeLoads {

    private final Supplier<Map<Long, Long>> source;
    private Map<Long, Long> counts;

    public NodeLoads(Supplier<Map<Long, Long>> source) {
        this.source = source;
    }

    public long of(long nodeId) {
        return counts().getOrDefault(nodeId, 0L);
    }

    public void add(long nodeId) {
        counts().merge(nodeId, 1L, Long::sum);
    }

    private Map<Long, Long> counts() {
        if (counts == null) {
            counts = new HashMap<>(source.get());
        }
        return counts;
    }
}
