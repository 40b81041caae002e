package fun.ai.studio.deploy.web.api;

import fun.ai.studio.deploy.node.NodeView;
import fun.ai.studio.deploy.node.NodeHealthPolicy;
import fun.ai.studio.deploy.node.NodeHealth;
import fun.ai.studio.deploy.shared.ApiResponse;
import fun.ai.studio.deploy.shared.NodeChanged;
import fun.ai.studio.deploy.shared.PlacementChanged;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The serialized node list, reused between changes. Writing a thousand node views costs far more than
 * anything else in {@code GET /admin/runtime-nodes/list}, and pollers ask far more often than nodes change.
 * An entry is dropped when this instance changes a node or a placement (it listens to {@link NodeChanged} and
 * {@link PlacementChanged}), when the next node would turn STALE,
 * or after {@link #MAX_AGE_MS}, which bounds how late changes made by other instances on a shared database show.
 */
@Component
class NodeListCache {

    static final long MAX_AGE_MS = 1_000;

    private record Entry(long version, long validUntilMs, byte[] json) {
    }

    private final AtomicLong version = new AtomicLong();
    private final AtomicBoolean rebuilding = new AtomicBoolean();
    private final JsonMapper json;
    private final Clock clock;
    private final long staleAfterMs;
    private volatile Entry entry;

    NodeListCache(JsonMapper json, Clock clock, NodeHealthPolicy health) {
        this.json = json;
        this.clock = clock;
        this.staleAfterMs = health.staleAfter().toMillis();
    }

    @EventListener
    void nodeChanged(NodeChanged change) {
        version.incrementAndGet();
    }

    @EventListener
    void placementsChanged(PlacementChanged change) {
        version.incrementAndGet();
    }

    /**
     * The whole answer, the envelope with the list as its {@code data}, as UTF-8 JSON: from the cache while it
     * is valid, else built from {@code views} and cached. Callers must not change the array.
     */
    byte[] get(Supplier<List<NodeView>> views) {
        Entry current = entry;
        if (isValid(current)) {
            return current.json();
        }
        // A list that only aged is rebuilt by one caller while the others keep answering it: a rebuild reads
        // every node and counts every placement. A list outdated by a change on this instance is never served.
        boolean onlyAged = current != null && current.version() == version.get();
        if (!onlyAged) {
            return rebuild(views);
        }
        if (!rebuilding.compareAndSet(false, true)) {
            return current.json();
        }
        try {
            return rebuild(views);
        } finally {
            rebuilding.set(false);
        }
    }

    private boolean isValid(Entry current) {
        return current != null && current.version() == version.get() && clock.millis() < current.validUntilMs();
    }

    private byte[] rebuild(Supplier<List<NodeView>> views) {
        long now = clock.millis();
        long seen = version.get();
        List<NodeView> list = views.get();
        long validUntil = now + MAX_AGE_MS;
        for (NodeView node : list) {
            if (node.health() == NodeHealth.HEALTHY && node.lastHeartbeatAtMs() != null) {
                validUntil = Math.min(validUntil, node.lastHeartbeatAtMs() + staleAfterMs);
            }
        }
        byte[] answer = json.writeValueAsBytes(ApiResponse.ok(list));
        entry = new Entry(seen, validUntil, answer);
        return answer;
    }
}
