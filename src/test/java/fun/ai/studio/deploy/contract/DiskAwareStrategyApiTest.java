package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.TestIds;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Map;

import static fun.ai.studio.deploy.support.DeployClient.ENSURE;
import static fun.ai.studio.deploy.support.DeployClient.HEARTBEAT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy.runtime.placement.strategy=disk-aware} with a free-disk minimum of 15 % and a cap of 20
 * containers per node, fed by the figures of real heartbeats.
 */
@TestPropertySource(properties = {"deploy.runtime.placement.strategy=disk-aware",
        "deploy.runtime.placement.disk-free-min-pct=15", "deploy.runtime.placement.max-containers-per-node=20"})
class DiskAwareStrategyApiTest extends InMemoryContractTest {

    /** Heartbeats with the given figures (null leaves a figure out) and returns the node id. */
    private long reporting(String prefix, Double diskFreePct, Integer containerCount) {
        Map<String, Object> body = DeployClient.heartbeatBody(TestIds.nodeName(prefix));
        body.remove("diskFreeBytes");
        body.put("diskFreePct", diskFreePct);
        body.put("containerCount", containerCount);
        JsonNode view = client.asNode().post(HEARTBEAT, body).ok();
        assertThat(view.get("placeable").booleanValue()).isTrue();
        return view.get("nodeId").longValue();
    }

    private Map<Long, Integer> ensureMany(String prefix, int count) {
        Map<Long, Integer> perNode = new HashMap<>();
        for (int i = 0; i < count; i++) {
            perNode.merge(client.ensure(TestIds.appId(prefix)).get("nodeId").longValue(), 1, Integer::sum);
        }
        return perNode;
    }

    @Test
    void aNodeWithLittleFreeDiskOrAtTheContainerCapNeverReceivesAnApp() {
        long fullDisk = reporting("da-full-disk", 5.0, 3);
        long capped = reporting("da-capped", 80.0, 20);
        long roomy = reporting("da-roomy", 80.0, 3);
        long silent = reporting("da-no-figures", null, null);

        Map<Long, Integer> perNode = ensureMany("da-app", 100);

        assertThat(perNode).doesNotContainKeys(fullDisk, capped);
        assertThat(perNode.keySet()).containsExactlyInAnyOrder(roomy, silent);
        assertThat(perNode.get(roomy) + perNode.get(silent)).isEqualTo(100);
    }

    @Test
    void theMinimumAndTheCapAreInclusiveBoundaries() {
        long atMinimum = reporting("da-at-minimum", 15.0, 19);
        long justBelow = reporting("da-just-below", 14.9, 0);
        long atCap = reporting("da-at-cap", 90.0, 20);

        Map<Long, Integer> perNode = ensureMany("da-boundary", 20);

        assertThat(perNode).isEqualTo(Map.of(atMinimum, 20));
        assertThat(client.placements(justBelow, 0, 1).get("total").longValue()).isZero();
        assertThat(client.placements(atCap, 0, 1).get("total").longValue()).isZero();
    }

    @Test
    void aNodeThatReportsFreeDiskAgainTakesAppsFromItsNextHeartbeat() {
        String name = TestIds.nodeName("da-recovering");
        Map<String, Object> full = DeployClient.heartbeatBody(name);
        full.put("diskFreePct", 2.0);
        long recovering = client.asNode().post(HEARTBEAT, full).ok().get("nodeId").longValue();
        String appId = TestIds.appId("da-waiting");

        String message = client.asRunner().post(ENSURE, Map.of("appId", appId)).error(503);

        assertThat(message).contains("every placeable node is excluded by the placement strategy");
        client.asRunner().get("/internal/placements/" + appId).error(404);
        Map<String, Object> freed = DeployClient.heartbeatBody(name);
        freed.put("diskFreePct", 60.0);
        client.asNode().post(HEARTBEAT, freed).ok();
        JsonNode placed = client.ensure(appId);
        assertThat(placed.get("nodeId").longValue()).isEqualTo(recovering);
        assertThat(placed.get("created").booleanValue()).isTrue();
    }

    @Test
    void whenEveryPlaceableNodeIsFullEnsureIs503NamingTheLimitsAndStoresNothing() {
        long fullDisk = reporting("da-all-full-disk", 1.0, 0);
        long capped = reporting("da-all-capped", 99.0, 25);
        String appId = TestIds.appId("da-homeless");

        String message = client.asRunner().post(ENSURE, Map.of("appId", appId)).error(503);

        assertThat(message).isEqualTo("no runtime node can take app '" + appId
                + "': every placeable node is excluded by the placement strategy (weight 0, disk or container limits)");
        client.asRunner().get("/internal/placements/" + appId).error(404);
        assertThat(client.placements(fullDisk, 0, 1).get("total").longValue()).isZero();
        assertThat(client.placements(capped, 0, 1).get("total").longValue()).isZero();
    }
}
