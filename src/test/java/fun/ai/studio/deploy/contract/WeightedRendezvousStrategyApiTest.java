package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.TestIds;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static fun.ai.studio.deploy.support.DeployClient.ENSURE;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code deploy.runtime.placement.strategy=weighted-rendezvous}, observed through first placements over HTTP. */
@TestPropertySource(properties = "deploy.runtime.placement.strategy=weighted-rendezvous")
class WeightedRendezvousStrategyApiTest extends InMemoryContractTest {

    private long node(String prefix, int weight) {
        return nodeNamed(TestIds.nodeName(prefix), weight);
    }

    /** A placeable node of the given weight, set through upsert after its first heartbeat. */
    private long nodeNamed(String name, int weight) {
        client.heartbeat(name);
        JsonNode view = client.upsert(Map.of("name", name, "agentBaseUrl", "http://10.0.0.12:7005",
                "gatewayBaseUrl", "https://gw.example.com", "weight", weight));
        assertThat(view.get("weight").intValue()).isEqualTo(weight);
        assertThat(view.get("placeable").booleanValue()).isTrue();
        return view.get("nodeId").longValue();
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
    void aNodeOfWeightZeroNeverReceivesAnAppAndTheOthersShareThemByWeight() {
        long heavy = node("wr-heavy", 300);
        long light = node("wr-light", 100);
        long zero = node("wr-zero", 0);

        Map<Long, Integer> perNode = ensureMany("wr-app", 400);

        assertThat(perNode).doesNotContainKey(zero);
        assertThat(perNode.get(heavy) + perNode.get(light)).isEqualTo(400);
        // Expected 300 of 400 (weight 300 of 400); the bounds are more than four standard deviations wide.
        assertThat(perNode.get(heavy)).isBetween(260, 340);
        assertThat(client.placements(zero, 0, 1).get("total").longValue()).isZero();
    }

    @Test
    void placedAppsStayWhereTheyAreWhenWeightsChangeLaterBecauseTheStrategyDecidesFirstPlacementsOnly() {
        String a = TestIds.nodeName("wr-a");
        List<Long> nodes = List.of(nodeNamed(a, 100), node("wr-b", 100), node("wr-c", 100));
        Map<String, Long> placed = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            String appId = TestIds.appId("wr-sticky");
            placed.put(appId, client.ensure(appId).get("nodeId").longValue());
        }
        assertThat(nodes).containsAll(placed.values());
        assertThat(placed.values().stream().distinct().count()).as("30 apps use more than one of 3 nodes").isGreaterThan(1);

        client.upsert(Map.of("name", a, "weight", 0, "agentBaseUrl", "http://10.0.0.12:7005",
                "gatewayBaseUrl", "https://gw.example.com"));

        placed.forEach((appId, nodeId) -> {
            JsonNode again = client.ensure(appId);
            assertThat(again.get("nodeId").longValue()).as("node of %s", appId).isEqualTo(nodeId);
            assertThat(again.get("created").booleanValue()).isFalse();
            assertThat(again.get("moved").booleanValue()).isFalse();
        });
        assertThat(ensureMany("wr-after-zero", 40)).doesNotContainKey(nodes.get(0));
    }

    @Test
    void whenEveryPlaceableNodeWeighsZeroEnsureIs503AndStoresNothing() {
        node("wr-only-zero", 0);
        String appId = TestIds.appId("wr-nowhere");

        String message = client.asRunner().post(ENSURE, Map.of("appId", appId)).error(503);

        assertThat(message).isEqualTo("no runtime node can take app '" + appId
                + "': every placeable node is excluded by the placement strategy (weight 0, disk or container limits)");
        client.asRunner().get("/internal/placements/" + appId).error(404);
    }
}
