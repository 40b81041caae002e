package fun.ai.studio.deploy.node;

import fun.ai.studio.deploy.support.RegistrySettings;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class NodeHealthPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-28T03:12:31.123Z");

    private static NodeHealthPolicy policy(boolean registryEnabled, int staleSeconds) {
        return new NodeHealthPolicy(Clock.fixed(NOW, ZoneOffset.UTC),
                RegistrySettings.defaults(registryEnabled, staleSeconds));
    }

    private static RuntimeNode node(boolean enabled, Instant lastHeartbeat, String agentUrl, String gatewayUrl) {
        return new RuntimeNode(1, "rt-1", agentUrl, gatewayUrl, enabled, 100, lastHeartbeat, null, null, null);
    }

    private static RuntimeNode heartbeatAt(Instant lastHeartbeat) {
        return node(true, lastHeartbeat, "http://10.0.0.1:7005", "http://10.0.0.1:8080");
    }

    @Test
    void nodeIsHealthyUntilOneMillisecondBeforeTheThresholdAndStaleFromExactlyIt() {
        NodeHealthPolicy policy = policy(true, 60);

        assertThat(policy.health(heartbeatAt(NOW))).isEqualTo(NodeHealth.HEALTHY);
        assertThat(policy.health(heartbeatAt(NOW.minus(Duration.ofSeconds(60)).plusMillis(1)))).isEqualTo(NodeHealth.HEALTHY);
        assertThat(policy.health(heartbeatAt(NOW.minus(Duration.ofSeconds(60))))).isEqualTo(NodeHealth.STALE);
        assertThat(policy.health(heartbeatAt(NOW.minus(Duration.ofDays(3))))).isEqualTo(NodeHealth.STALE);
    }

    @Test
    void nodeCrossesTheThresholdAsTheClockMovesOneMillisecond() {
        NodeHealthPolicy policy = policy(true, 60);
        RuntimeNode node = heartbeatAt(NOW);
        Instant threshold = NOW.plusSeconds(60);

        assertThat(policy.health(node, threshold.minusMillis(1))).isEqualTo(NodeHealth.HEALTHY);
        assertThat(policy.isPlaceable(node, threshold.minusMillis(1))).isTrue();
        assertThat(policy.health(node, threshold)).isEqualTo(NodeHealth.STALE);
        assertThat(policy.isPlaceable(node, threshold)).isFalse();
    }

    @Test
    void thresholdFollowsTheConfiguredSeconds() {
        NodeHealthPolicy policy = policy(true, 5);

        assertThat(policy.staleAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.health(heartbeatAt(NOW.minusMillis(4_999)))).isEqualTo(NodeHealth.HEALTHY);
        assertThat(policy.health(heartbeatAt(NOW.minusMillis(5_000)))).isEqualTo(NodeHealth.STALE);
    }

    @Test
    void nodeThatNeverReportedIsStale() {
        assertThat(policy(true, 60).health(heartbeatAt(null))).isEqualTo(NodeHealth.STALE);
        assertThat(policy(true, 60).isPlaceable(heartbeatAt(null), NOW)).isFalse();
    }

    @Test
    void healthIsUnknownAndNothingIsPlaceableWhenTheRegistryIsSwitchedOff() {
        NodeHealthPolicy policy = policy(false, 60);

        assertThat(policy.health(heartbeatAt(NOW))).isEqualTo(NodeHealth.UNKNOWN);
        assertThat(policy.health(heartbeatAt(null))).isEqualTo(NodeHealth.UNKNOWN);
        assertThat(policy.isPlaceable(heartbeatAt(NOW), NOW)).isFalse();
    }

    @Test
    void placeableNeedsEnabledHealthyAndBothUrls() {
        NodeHealthPolicy policy = policy(true, 60);

        assertThat(policy.isPlaceable(node(true, NOW, "http://a:1", "http://b:2"), NOW)).isTrue();
        assertThat(policy.isPlaceable(node(false, NOW, "http://a:1", "http://b:2"), NOW)).isFalse();
        assertThat(policy.isPlaceable(node(true, NOW, null, "http://b:2"), NOW)).isFalse();
        assertThat(policy.isPlaceable(node(true, NOW, "http://a:1", null), NOW)).isFalse();
        assertThat(policy.isPlaceable(node(true, NOW, " ", "http://b:2"), NOW)).isFalse();
        assertThat(policy.isPlaceable(node(true, NOW, "http://a:1", ""), NOW)).isFalse();
    }

    @Test
    void viewShowsTheHeartbeatAsTheContractsExample() {
        RuntimeNode node = heartbeatAt(Instant.parse("2026-11-28T03:12:31.123Z"));

        NodeView view = NodeView.of(node, NodeHealth.HEALTHY, true, 42);

        assertThat(view.lastHeartbeatAt()).isEqualTo("2026-11-28T03:12:31.123Z");
        assertThat(view.lastHeartbeatAtMs()).isEqualTo(1795835551123L);
        assertThat(NodeView.of(heartbeatAt(Instant.parse("2026-01-02T00:00:00Z")), NodeHealth.STALE, false, 0)
                .lastHeartbeatAt()).isEqualTo("2026-01-02T00:00:00.000Z");
        assertThat(NodeView.of(heartbeatAt(null), NodeHealth.STALE, false, 0).lastHeartbeatAt()).isNull();
    }
}
