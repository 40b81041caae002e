package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.AuditTrail;
import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.TestIds;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static fun.ai.studio.deploy.support.DeployClient.ENSURE;
import static fun.ai.studio.deploy.support.DeployClient.HEARTBEAT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code registration=approval}: a heartbeat with a new name registers the node disabled, with an audit entry saying
 * it awaits approval; an operator's set-enabled approves it, and from then on it is placeable like any other.
 */
@TestPropertySource(properties = "deploy.runtime-node-registry.registration=approval")
class RegistrationApprovalApiTest extends InMemoryContractTest {

    private AuditTrail audit;

    @BeforeEach
    void disableTheNodesOfEarlierTests() {
        audit = new AuditTrail(client);
        client.disableEveryNode();
    }

    @Test
    void aNewNodeWaitsDisabledUntilApprovedAndThenTakesApps() {
        String name = TestIds.nodeName("applicant");
        String appId = TestIds.appId("after-approval");
        long last = audit.newestId();

        JsonNode registered = client.heartbeat(name);

        assertThat(registered.get("enabled").booleanValue()).isFalse();
        assertThat(registered.get("health").stringValue()).isEqualTo("HEALTHY");
        assertThat(registered.get("placeable").booleanValue()).isFalse();
        long nodeId = registered.get("nodeId").longValue();
        List<JsonNode> entries = audit.entriesAfter(last);
        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.get("action").stringValue()).isEqualTo("awaiting-approval");
            assertThat(entry.get("clientAddress").stringValue()).isEqualTo("127.0.0.1");
            assertThat(entry.get("status").intValue()).isEqualTo(200);
            assertThat(entry.get("at").longValue()).isEqualTo(nowMs());
            assertThat(entry.get("request").stringValue()).isEqualTo("nodeName=" + name
                    + " agentBaseUrl=http://10.0.0.12:7005 gatewayBaseUrl=https://gw.example.com");
            assertThat(entry.get("outcome").stringValue()).isEqualTo("node " + name + " (nodeId " + nodeId
                    + ") registered disabled; approve it with POST /admin/runtime-nodes/set-enabled?name=" + name
                    + "&enabled=true");
        });
        assertThat(client.asRunner().post(ENSURE, Map.of("appId", appId)).error(503))
                .isEqualTo("no placeable runtime node: none is enabled, HEALTHY and has both URLs");

        long beforeSecondBeat = audit.newestId();
        assertThat(client.heartbeat(name).get("enabled").booleanValue()).as("a heartbeat never approves").isFalse();
        assertThat(audit.entriesAfter(beforeSecondBeat)).as("awaiting approval is recorded once").isEmpty();

        assertThat(client.setEnabled(name, true)).isEqualTo("enabled");

        assertThat(audit.entriesAfter(beforeSecondBeat)).singleElement()
                .satisfies(entry -> assertThat(entry.get("action").stringValue()).isEqualTo("set-enabled"));
        JsonNode approved = client.heartbeat(name);
        assertThat(approved.get("enabled").booleanValue()).isTrue();
        assertThat(approved.get("placeable").booleanValue()).isTrue();
        assertThat(client.ensure(appId).get("nodeId").longValue()).isEqualTo(nodeId);
    }

    @Test
    void aNodeAnOperatorCreatesIsNotHeldForApproval() {
        String name = TestIds.nodeName("operator-made");
        long last = audit.newestId();

        JsonNode created = client.upsert(Map.of("name", name, "agentBaseUrl", "http://10.0.0.12:7005",
                "gatewayBaseUrl", "https://gw.example.com"));

        assertThat(created.get("enabled").booleanValue()).isTrue();
        assertThat(client.heartbeat(name).get("placeable").booleanValue()).isTrue();
        assertThat(audit.entriesAfter(last)).extracting(entry -> entry.get("action").stringValue()).containsExactly("upsert");
    }

    @Test
    void aRefusedHeartbeatOfANewNameRegistersNothing() {
        String name = TestIds.nodeName("refused-applicant");
        Map<String, Object> body = DeployClient.heartbeatBody(name);
        body.put("agentBaseUrl", "ftp://10.0.0.12");
        JsonNode before = client.nodes();
        long last = audit.newestId();

        client.asNode().post(HEARTBEAT, body).error(400);

        assertThat(client.nodes()).isEqualTo(before);
        assertThat(audit.entriesAfter(last)).isEmpty();
    }
}
