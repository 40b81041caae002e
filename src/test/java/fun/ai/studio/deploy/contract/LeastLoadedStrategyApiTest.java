package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.TestIds;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code deploy.runtime.placement.strategy=least-loaded}, observed through first placements and drains over HTTP. */
@TestPropertySource(properties = "deploy.runtime.placement.strategy=least-loaded")
class LeastLoadedStrategyApiTest extends InMemoryContractTest {

    private long node(String prefix, int weight) {
        String name = TestIds.nodeName(prefix);
        client.heartbeat(name);
        return client.upsert(Map.of("name", name, "agentBaseUrl", "http://10.0.0.12:7005",
                "gatewayBaseUrl", "https://gw.example.com", "weight", weight)).get("nodeId").longValue();
    }

    private long count(long nodeId) {
        return client.placements(nodeId, 0, 1).get("total").longValue();
    }

    private Map<Long, Integer> ensureMany(String prefix, int count) {
        Map<Long, Integer> perNode = new HashMap<>();
        for (int i = 0; i < count; i++) {
            JsonNode view = client.ensure(TestIds.appId(prefix));
            assertThat(view.get("created").booleanValue()).isTrue();
            perNode.merge(view.get("nodeId").longValue(), 1, Integer::sum);
        }
        return perNode;
    }

    @Test
    void newAppsFillTheEmptierNodeUntilTheLoadsAreEqualAndThenAlternate() {
        long full = node("ll-full", 100);
        long empty = node("ll-empty", 100);
        for (int i = 0; i < 6; i++) {
            client.reassign(TestIds.appId("ll-existing"), full);
        }

        Map<Long, Integer> firstSix = ensureMany("ll-catch-up", 6);
        Map<Long, Integer> nextTen = ensureMany("ll-even", 10);

        assertThat(firstSix).isEqualTo(Map.of(empty, 6));
        assertThat(nextTen).isEqualTo(Map.of(full, 5, empty, 5));
        assertThat(count(full)).isEqualTo(11);
        assertThat(count(empty)).isEqualTo(11);
    }

    @Test
    void newAppsFillNodesInProportionToWeightAndNeverAWeightZeroNode() {
        long big = node("ll-big", 300);
        long small = node("ll-small", 100);
        long zero = node("ll-zero", 0);

        Map<Long, Integer> perNode = ensureMany("ll-weighted", 40);

        assertThat(perNode).isEqualTo(Map.of(big, 30, small, 10));
        assertThat(count(zero)).isZero();
    }

    @Test
    void drainWithoutTargetCountsTheAppsOfItsOwnBatchAndEvensOutTheTargets() {
        long source = node("ll-source", 100);
        long busy = node("ll-busy", 100);
        long idle = node("ll-idle", 100);
        for (int i = 0; i < 4; i++) {
            client.reassign(TestIds.appId("ll-busy-app"), busy);
        }
        for (int i = 0; i < 20; i++) {
            client.reassign(TestIds.appId("ll-drained"), source);
        }

        JsonNode result = client.drain(Map.of("sourceNodeId", source));

        assertThat(result.get("moved").intValue()).isEqualTo(20);
        assertThat(result.get("remaining").longValue()).isZero();
        // 4 catch-up apps to the idle node, then the remaining 16 alternate: 12 and 12 in the end.
        assertThat(result.get("movedByTarget").get(Long.toString(idle)).intValue()).isEqualTo(12);
        assertThat(result.get("movedByTarget").get(Long.toString(busy)).intValue()).isEqualTo(8);
        assertThat(count(idle)).isEqualTo(12);
        assertThat(count(busy)).isEqualTo(12);
        assertThat(count(source)).isZero();
    }
}
