package fun.ai.studio.deploy.web.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import fun.ai.studio.deploy.node.NodeHealth;
import fun.ai.studio.deploy.node.NodeHealthPolicy;
import fun.ai.studio.deploy.node.NodeView;
import fun.ai.studio.deploy.shared.ApiResponse;
import fun.ai.studio.deploy.shared.NodeChanged;
import fun.ai.studio.deploy.shared.PlacementChanged;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The serialized node list, reused between changes. Writing a thousand node views costs far more than
 * anything else in {@code GET /admin/runtime-nodes/list}, and pollers ask far more often than nodes change.
 * A list is not served once this instance has changed a node or a placement ({@link NodeChanged},
 * {@link PlacementChanged}), once the next node would turn STALE, or after {@link #MAX_AGE_MS}, which bounds how
 * late changes made by other instances on a shared database show. Concurrent callers wait for one build.
 */
@Component
class NodeListCache {

    static final long MAX_AGE_MS = 1_000;

    private record Entry(long validUntilMs, long revision, byte[] json) {
    }

    /** The serialized answer and the change log's revision read before the list was: watch from it. */
    record Answer(long revision, byte[] json) {
    }

    // Lists are kept under the change count they were built at: a change only counts up, never waits for a
    // build in progress, and a build begun before a change is never served after it.
    private final AtomicLong changes = new AtomicLong();
    private final Cache<Long, Entry> lists;
    private final JsonMapper json;
    private final Clock clock;
    private final long staleAfterMs;

    NodeListCache(JsonMapper json, Clock clock, NodeHealthPolicy health) {
        this.json = json;
        this.clock = clock;
        this.staleAfterMs = health.staleAfter().toMillis();
        this.lists = Caffeine.newBuilder()
                .maximumSize(1)
                .expireAfter(Expiry.<Long, Entry>creating((changeCount, entry) ->
                        Duration.ofMillis(Math.max(0, entry.validUntilMs() - clock.millis()))))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run)
                .build();
    }

    @EventListener
    void nodeChanged(NodeChanged change) {
        changes.incrementAndGet();
    }

    @EventListener
    void placementsChanged(PlacementChanged change) {
        changes.incrementAndGet();
    }

    /**
     * The whole answer, the envelope with the list as its {@code data}, as UTF-8 JSON, with the revision read
     * before the list: from the cache while it is valid, else built from {@code views} and cached. Callers must
     * not change the array.
     */
    Answer get(Supplier<List<NodeView>> views, LongSupplier revision) {
        Entry entry = lists.get(changes.get(), changeCount -> build(views, revision));
        return new Answer(entry.revision(), entry.json());
    }

    private Entry build(Supplier<List<NodeView>> views, LongSupplier revision) {
        long now = clock.millis();
        long before = revision.getAsLong();
        List<NodeView> list = views.get();
        long validUntil = now + MAX_AGE_MS;
        for (NodeView node : list) {
            if (node.health() == NodeHealth.HEALTHY && node.lastHeartbeatAtMs() != null) {
                validUntil = Math.min(validUntil, node.lastHeartbeatAtMs() + staleAfterMs);
            }
        }
        return new Entry(validUntil, before, json.writeValueAsBytes(ApiResponse.ok(list)));
    }
}
