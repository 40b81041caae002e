package fun.ai.studio.deploy.fullstack;

import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.DeployClient.Reply;
import fun.ai.studio.deploy.support.Json;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import tools.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static fun.ai.studio.deploy.support.DeployClient.DRAIN;
import static fun.ai.studio.deploy.support.DeployClient.HEARTBEAT;
import static fun.ai.studio.deploy.support.DeployClient.REASSIGN;
import static fun.ai.studio.deploy.support.DeployClient.SET_ENABLED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operability with persistence on, on a database that outlives one application: readiness follows the
 * database, the fleet contributor is UP on an empty fleet, the audit trail survives a restart, and registration by
 * approval and the node limit hold. Subclasses give each test a new, empty database.
 */
abstract class PersistentOperabilityTest {

    static final String AUDIT = "/admin/audit";

    /** Datasource properties of this test's own empty database; the same for every call within one test. */
    abstract Map<String, Object> datasource();

    /** The health answer an operator (admin token) sees, with components and details. */
    static JsonNode health(DeployClient api, String path) {
        Reply reply = api.asAdmin().get(path);
        assertThat(reply.status()).as("GET %s: %s", path, reply.body()).isEqualTo(200);
        assertThat(reply.json().get("status").stringValue()).as("GET %s", path).isEqualTo("UP");
        return reply.json();
    }

    @Test
    void aFreshServiceIsReadyFollowingTheDatabaseAndItsEmptyFleetIsUp() {
        try (RunningService service = RunningService.start(datasource())) {
            DeployClient api = service.client();

            health(api, "/actuator/health/liveness");
            health(api, "/actuator/health/readiness");
            assertThat(service.bean(HealthEndpointGroups.class).get("readiness").isMember("db")).isTrue();
            JsonNode components = health(api, "/actuator/health").get("components");
            assertThat(components.get("db").get("status").stringValue()).isEqualTo("UP");
            JsonNode runtimeNodes = components.get("runtimeNodes");
            assertThat(runtimeNodes.get("status").stringValue()).isEqualTo("UP");
            JsonNode details = runtimeNodes.get("details");
            assertThat(details.get("total").longValue()).isZero();
            assertThat(details.get("placements").longValue()).isZero();
            for (String enabled : List.of("enabled", "disabled")) {
                details.get(enabled).properties().forEach(count ->
                        assertThat(count.getValue().longValue()).as(enabled + " " + count.getKey()).isZero());
            }
        }
    }

    @Test
    void theAuditTrailSurvivesARestartAndItsIdsKeepIncreasing() {
        JsonNode before;
        try (RunningService first = RunningService.start(datasource())) {
            DeployClient api = first.client();
            long nodeId = api.heartbeat("rt-audited").get("nodeId").longValue();
            long staleId = api.upsert(Map.of("name", "rt-never", "agentBaseUrl", "http://10.0.0.3:7005",
                    "gatewayBaseUrl", "https://gw.example.com")).get("nodeId").longValue();
            api.setEnabled("rt-audited", false);
            api.asAdmin().post(SET_ENABLED + "?name=rt-nobody&enabled=true").error(404);
            api.asAdmin().post(REASSIGN, Map.of("appId", "app-1", "targetNodeId", staleId)).error(409);
            api.asAdmin().post(DRAIN, Map.of("sourceNodeId", nodeId, "targetNodeId", nodeId)).error(400);

            before = api.asAdmin().get(AUDIT).ok();
            assertThat(Json.strings(before.get("items"), "action"))
                    .containsExactly("drain", "reassign", "set-enabled", "set-enabled", "upsert");
            assertThat(Json.longs(before.get("items"), "status")).containsExactly(400L, 409L, 404L, 200L, 200L);
            assertThat(before.get("nextBefore").isNull()).isTrue();
        }

        try (RunningService second = RunningService.start(datasource())) {
            DeployClient api = second.client();
            assertThat(api.asAdmin().get(AUDIT).ok()).isEqualTo(before);

            api.setEnabled("rt-audited", true);

            JsonNode after = api.asAdmin().get(AUDIT + "?limit=2").ok();
            long newestBefore = before.get("items").get(0).get("id").longValue();
            assertThat(after.get("items").get(0).get("id").longValue()).isGreaterThan(newestBefore);
            assertThat(after.get("items").get(0).get("request").stringValue()).isEqualTo("?name=rt-audited&enabled=true");
            assertThat(after.get("items").get(1)).isEqualTo(before.get("items").get(0));
            JsonNode older = api.asAdmin().get(AUDIT + "?limit=2&before=" + after.get("nextBefore").longValue()).ok();
            assertThat(older.get("items")).containsExactly(before.get("items").get(1), before.get("items").get(2));
        }
    }

    @Test
    void registrationByApprovalUrlChangesAndTheNodeLimitHoldWithTheDatabase() {
        Map<String, Object> settings = new HashMap<>(datasource());
        settings.put("deploy.runtime-node-registry.registration", "approval");
        settings.put("deploy.runtime-node-registry.max-nodes", 2);
        try (RunningService first = RunningService.start(settings)) {
            DeployClient api = first.client();
            assertThat(api.heartbeat("rt-applicant").get("enabled").booleanValue()).isFalse();
            api.upsert(Map.of("name", "rt-operators", "agentBaseUrl", "http://10.0.0.3:7005",
                    "gatewayBaseUrl", "https://gw.example.com"));

            assertThat(api.asNode().post(HEARTBEAT, DeployClient.heartbeatBody("rt-one-too-many")).error(403))
                    .isEqualTo("node limit of 2 reached (deploy.runtime-node-registry.max-nodes)");
            assertThat(api.nodes()).hasSize(2);
        }

        try (RunningService second = RunningService.start(settings)) {
            DeployClient api = second.client();
            assertThat(api.node("rt-applicant").get("enabled").booleanValue()).isFalse();
            api.setEnabled("rt-applicant", true);
            Map<String, Object> moved = DeployClient.heartbeatBody("rt-applicant");
            moved.put("gatewayBaseUrl", "https://gw2.example.com");
            assertThat(api.asNode().post(HEARTBEAT, moved).ok().get("enabled").booleanValue()).isTrue();

            JsonNode items = api.asAdmin().get(AUDIT).ok().get("items");
            assertThat(Json.strings(items, "action"))
                    .containsExactly("urls-changed", "set-enabled", "upsert", "awaiting-approval");
            assertThat(items.get(0).get("outcome").stringValue())
                    .isEqualTo("node rt-applicant: gatewayBaseUrl https://gw.example.com -> https://gw2.example.com");
            assertThat(api.asNode().post(HEARTBEAT, DeployClient.heartbeatBody("rt-one-too-many")).error(403))
                    .startsWith("node limit of 2 reached");
        }
    }
}
