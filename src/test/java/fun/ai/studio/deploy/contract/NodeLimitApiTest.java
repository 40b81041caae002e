package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.AuditTrail;
import fun.ai.studio.deploy.support.Concurrently;
import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.TestIds;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static fun.ai.studio.deploy.support.DeployClient.HEARTBEAT;
import static fun.ai.studio.deploy.support.DeployClient.UPSERT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code max-nodes}: no heartbeat or upsert creates a node beyond the limit, however many arrive at once; nodes
 * already registered carry on. The tests share one registry that fills up, so they run in order: the concurrent
 * one while places are left, then the one that finds the registry full.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestPropertySource(properties = "deploy.runtime-node-registry.max-nodes=" + NodeLimitApiTest.MAX_NODES)
class NodeLimitApiTest extends InMemoryContractTest {

    static final int MAX_NODES = 10;
    private static final String LIMIT_REACHED = "node limit of 10 reached (deploy.runtime-node-registry.max-nodes)";

    private AuditTrail audit;

    @BeforeEach
    void readTheAuditTrail() {
        audit = new AuditTrail(client);
    }

    @Test
    @Order(1)
    void concurrentHeartbeatsForNewNamesCreateExactlyTheNodesThereIsRoomFor() {
        client.heartbeat(TestIds.nodeName("first"));
        int room = MAX_NODES - client.nodes().size();
        assertThat(room).isEqualTo(MAX_NODES - 1);

        List<Integer> statuses = Concurrently.run(30, i -> client.asNode()
                .post(HEARTBEAT, DeployClient.heartbeatBody(TestIds.nodeName("crowd"))).status());

        assertThat(statuses).filteredOn(status -> status == 200).hasSize(room);
        assertThat(statuses).filteredOn(status -> status == 403).hasSize(30 - room);
        assertThat(client.nodes()).hasSize(MAX_NODES);
    }

    @Test
    @Order(2)
    void aFullRegistryRefusesNewNamesWith403AndWritesNothingButKeepsServingKnownNodes(CapturedOutput output) {
        JsonNode nodes = client.nodes();
        assertThat(nodes).hasSize(MAX_NODES);
        String known = nodes.get(0).get("name").stringValue();
        String newcomer = TestIds.nodeName("newcomer");
        long last = audit.newestId();
        Map<String, Object> upsert = Map.of("name", newcomer, "agentBaseUrl", "http://10.0.0.12:7005",
                "gatewayBaseUrl", "https://gw.example.com");

        assertThat(client.asNode().post(HEARTBEAT, DeployClient.heartbeatBody(newcomer)).error(403)).isEqualTo(LIMIT_REACHED);
        assertThat(client.nodes()).isEqualTo(nodes);
        assertThat(audit.entriesAfter(last)).as("a refused heartbeat leaves no audit entry").isEmpty();
        assertThat(output.getAll()).contains("refused to create node " + newcomer + ": " + LIMIT_REACHED);

        assertThat(client.asAdmin().post(UPSERT, upsert).error(403)).isEqualTo(LIMIT_REACHED);
        assertThat(client.hasNode(newcomer)).isFalse();
        assertThat(audit.entriesAfter(last)).singleElement().satisfies(entry -> {
            assertThat(entry.get("action").stringValue()).isEqualTo("upsert");
            assertThat(entry.get("status").intValue()).isEqualTo(403);
            assertThat(entry.get("outcome").stringValue()).isEqualTo(LIMIT_REACHED);
        });

        assertThat(client.heartbeat(known).get("lastHeartbeatAtMs").longValue()).isEqualTo(nowMs());
        assertThat(client.upsert(Map.of("name", known, "agentBaseUrl", "http://10.0.0.13:7005",
                "gatewayBaseUrl", "https://gw.example.com", "weight", 5)).get("weight").intValue()).isEqualTo(5);
        assertThat(client.setEnabled(known, false)).isEqualTo("disabled");
        assertThat(client.nodes()).hasSize(MAX_NODES);
    }
}
