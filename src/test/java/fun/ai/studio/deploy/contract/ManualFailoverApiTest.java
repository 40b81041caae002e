package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.TestIds;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;

import static fun.ai.studio.deploy.support.DeployClient.ENSURE;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code deploy.runtime.placement.failover=manual} set explicitly: a lost node's apps never move by themselves. */
@TestPropertySource(properties = "deploy.runtime.placement.failover=manual")
class ManualFailoverApiTest extends InMemoryContractTest {

    @Test
    void ensureOfAnAppOnADisabledNodeIs409NamingTheNodeAndTheAppStays() {
        String name = TestIds.nodeName("manual-disabled");
        long node = client.heartbeat(name).get("nodeId").longValue();
        client.heartbeat(TestIds.nodeName("manual-spare"));
        String appId = TestIds.appId("manual-app");
        client.reassign(appId, node);
        client.setEnabled(name, false);
        JsonNode before = client.placement(appId);

        String message = client.asRunner().post(ENSURE, Map.of("appId", appId)).error(409);

        assertThat(message).isEqualTo("app '" + appId + "' is placed on node " + node + " (" + name
                + "), which is disabled; drain the node or reassign the app");
        assertThat(client.placement(appId)).isEqualTo(before);
        assertThat(client.placements(node, 0, 1).get("total").longValue()).isEqualTo(1);
    }

    @Test
    void ensureOfAnAppOnANodeStaleFarLongerThanTheGraceIs409NamingTheNodeAndTheAppStays() {
        String name = TestIds.nodeName("manual-stale");
        long node = client.heartbeat(name).get("nodeId").longValue();
        String appId = TestIds.appId("manual-app");
        client.ensure(appId);
        clock.advance(Duration.ofHours(1));
        client.heartbeat(TestIds.nodeName("manual-spare"));
        JsonNode before = client.placement(appId);

        String message = client.asRunner().post(ENSURE, Map.of("appId", appId)).error(409);

        assertThat(message).isEqualTo("app '" + appId + "' is placed on node " + node + " (" + name
                + "), which is stale (no recent heartbeat); drain the node or reassign the app");
        assertThat(client.placement(appId)).isEqualTo(before);
        assertThat(client.placements(node, 0, 1).get("total").longValue()).isEqualTo(1);
    }
}
