package fun.ai.studio.deploy.web.api;

import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.node.NodeHealthPolicy;
import fun.ai.studio.deploy.node.NodeView;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.shared.NodeChanged;
import fun.ai.studio.deploy.shared.PlacementChanged;
import fun.ai.studio.deploy.support.MutableClock;
import fun.ai.studio.deploy.support.RegistrySettings;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class NodeListCacheTest {

    private static final Instant T0 = Instant.parse("2026-11-28T03:12:31.123Z");

    private final MutableClock clock = new MutableClock(T0);
    private final NodeHealthPolicy health = new NodeHealthPolicy(clock, RegistrySettings.defaults(true, 60));
    private final NodeListCache cache = new NodeListCache(JsonMapper.builder().build(), clock, health);
    private final AtomicInteger builds = new AtomicInteger();

    /** One node that heartbeated {@code ageMs} before the build, as the service would list it. */
    private List<NodeView> listWithHeartbeatAged(long ageMs) {
        builds.incrementAndGet();
        RuntimeNode node = new RuntimeNode(1, "rt-1", "http://a", "http://b", true, 100,
                clock.instant().minusMillis(ageMs), null, null, null);
        return List.of(NodeView.of(node, health.health(node), health.isPlaceable(node, clock.instant()), 0));
    }

    @Test
    void theListIsBuiltOnceWhileNothingChanges() {
        String first = new String(cache.get(() -> listWithHeartbeatAged(0), () -> 7).json(), StandardCharsets.UTF_8);
        clock.advance(Duration.ofMillis(999));

        assertThat(new String(cache.get(() -> listWithHeartbeatAged(0), () -> 7).json(), StandardCharsets.UTF_8)).isEqualTo(first);
        assertThat(builds).hasValue(1);
        assertThat(first).contains("\"name\":\"rt-1\"").contains("\"health\":\"HEALTHY\"");
    }

    @Test
    void aNodeOrPlacementChangeOnThisInstanceDropsTheCachedList() {
        cache.get(() -> listWithHeartbeatAged(0), () -> 7).json();

        cache.nodeChanged(new NodeChanged(NodeChanged.Kind.HEARTBEAT, 1L, "rt-1", clock.instant()));
        cache.get(() -> listWithHeartbeatAged(0), () -> 7).json();
        assertThat(builds).hasValue(2);

        cache.placementsChanged(PlacementChanged.ofApp(PlacementChanged.Kind.CREATED, "app-1", null, 1, clock.instant()));
        cache.get(() -> listWithHeartbeatAged(0), () -> 7).json();
        assertThat(builds).hasValue(3);
    }

    @Test
    void theCachedListEndsTheMillisecondTheNextNodeTurnsStale() {
        // Heartbeat 59.5 s old: the node turns STALE 500 ms from now, before the one-second age limit.
        cache.get(() -> listWithHeartbeatAged(59_500), () -> 7).json();
        clock.advance(Duration.ofMillis(499));
        cache.get(() -> listWithHeartbeatAged(59_500), () -> 7).json();
        assertThat(builds).hasValue(1);

        clock.advance(Duration.ofMillis(1));
        cache.get(() -> listWithHeartbeatAged(59_500), () -> 7).json();
        assertThat(builds).hasValue(2);
    }

    @Test
    void theCachedListIsRebuiltAfterOneSecondSoOtherInstancesChangesShow() {
        cache.get(() -> listWithHeartbeatAged(0), () -> 7).json();
        clock.advance(Duration.ofMillis(NodeListCache.MAX_AGE_MS));

        cache.get(() -> listWithHeartbeatAged(0), () -> 7).json();

        assertThat(builds).hasValue(2);
    }
}
