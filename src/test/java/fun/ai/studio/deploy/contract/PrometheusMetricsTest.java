package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.DeployClient.Reply;
import fun.ai.studio.deploy.support.PrometheusText;
import fun.ai.studio.deploy.support.TestIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.Map;

import static fun.ai.studio.deploy.support.DeployClient.DRAIN;
import static fun.ai.studio.deploy.support.DeployClient.ENSURE;
import static fun.ai.studio.deploy.support.DeployClient.HEARTBEAT;
import static fun.ai.studio.deploy.support.DeployClient.REASSIGN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's own metrics, read as a Prometheus server reads them: each counter moves by exactly the calls
 * that match it and by nothing else, the fleet gauges follow the registry once their snapshot is older than
 * five seconds, and Boot's request timers are there. Counters are compared before and after, since the
 * context is shared with other tests.
 */
class PrometheusMetricsTest extends InMemoryContractTest {

    private static final Duration SNAPSHOT_MAX_AGE = Duration.ofSeconds(5);

    private PrometheusText scrape() {
        Reply reply = client.asAdmin().get("/actuator/prometheus");
        assertThat(reply.status()).as("scrape: %s", reply.body()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("text/plain");
        return PrometheusText.parse(reply.body());
    }

    private long healthyNode(String prefix) {
        return client.heartbeat(TestIds.nodeName(prefix)).get("nodeId").longValue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator", "/actuator/metrics", "/actuator/metrics/http.server.requests",
            "/actuator/prometheus"})
    void managementEndpointsBeyondHealthAndInfoAnswerOnlyTheAdminToken(String path) {
        PrometheusText before = scrape();

        assertThat(client.anonymous().get(path).error(401)).isEqualTo("missing X-Admin-Token header");
        assertThat(client.anonymous().header("X-Admin-Token", "wrong-token-0b3c").get(path).error(401))
                .isEqualTo("wrong X-Admin-Token");
        assertThat(client.asNode().get(path).error(401)).isEqualTo("missing X-Admin-Token header");
        assertThat(client.asRunner().get(path).error(401)).isEqualTo("missing X-Admin-Token header");
        Reply admitted = client.asAdmin().get(path);
        assertThat(admitted.status()).isEqualTo(200);
        assertThat(admitted.body()).isNotBlank();

        PrometheusText after = scrape();
        assertThat(after.counter("deploy_auth_failures_total", "group", "admin", "reason", "missing_token"))
                .isEqualTo(before.counter("deploy_auth_failures_total", "group", "admin", "reason", "missing_token") + 3);
        assertThat(after.counter("deploy_auth_failures_total", "group", "admin", "reason", "wrong_token"))
                .isEqualTo(before.counter("deploy_auth_failures_total", "group", "admin", "reason", "wrong_token") + 1);
    }

    @Test
    void heartbeatsAreCountedAcceptedOrInvalidAndUnauthenticatedOnesNotAtAll() {
        PrometheusText before = scrape();
        String name = TestIds.nodeName("hb-metrics");
        Map<String, Object> noName = DeployClient.heartbeatBody(name);
        noName.remove("nodeName");
        Map<String, Object> badUrl = DeployClient.heartbeatBody(name);
        badUrl.put("agentBaseUrl", "ftp://10.0.0.12");
        Map<String, Object> tooLarge = DeployClient.heartbeatBody(name);
        tooLarge.put("padding", "x".repeat(70 * 1024));

        client.heartbeat(name);
        client.heartbeat(name);
        assertThat(client.asNode().post(HEARTBEAT, noName).error(400)).isEqualTo("nodeName is required");
        assertThat(client.asNode().post(HEARTBEAT, badUrl).error(400)).startsWith("agentBaseUrl ");
        assertThat(client.asNode().post(HEARTBEAT, "{\"nodeName\": ").error(400)).isEqualTo("malformed JSON in request body");
        assertThat(client.asNode().send("POST", HEARTBEAT, "text/plain", BodyPublishers.ofString(DeployClient.toJson(
                DeployClient.heartbeatBody(name)))).error(415)).isEqualTo("Content-Type must be application/json");
        assertThat(client.asNode().post(HEARTBEAT, tooLarge).error(413)).isEqualTo("request body is larger than 65536 bytes (64 KiB)");
        assertThat(client.anonymous().post(HEARTBEAT, DeployClient.heartbeatBody(name)).error(401))
                .isEqualTo("missing X-RT-Node-Token header");
        assertThat(client.anonymous().header(DeployClient.NODE_HEADER, "wrong-token-0b3c")
                .post(HEARTBEAT, DeployClient.heartbeatBody(name)).error(401)).isEqualTo("wrong X-RT-Node-Token");

        PrometheusText after = scrape();
        assertThat(after.counter("deploy_heartbeats_total", "outcome", "accepted"))
                .isEqualTo(before.counter("deploy_heartbeats_total", "outcome", "accepted") + 2);
        assertThat(after.counter("deploy_heartbeats_total", "outcome", "invalid"))
                .isEqualTo(before.counter("deploy_heartbeats_total", "outcome", "invalid") + 5);
        assertThat(after.counter("deploy_heartbeats_total", "outcome", "error"))
                .isEqualTo(before.counter("deploy_heartbeats_total", "outcome", "error"));
        assertThat(after.type("deploy_heartbeats_total")).isEqualTo("counter");
        assertThat(client.node(name).get("containerCount").intValue()).as("only the accepted ones were stored").isEqualTo(12);
    }

    @Test
    void ensureCallsAreCountedByOutcomeOncePerCall() {
        PrometheusText before = scrape();
        String appId = TestIds.appId("ensure-metrics");

        // The clock moved a day before this test, so no node is placeable yet.
        assertThat(client.asRunner().post(ENSURE, Map.of("appId", appId)).error(503))
                .isEqualTo("no placeable runtime node: none is enabled, HEALTHY and has both URLs");
        String node = TestIds.nodeName("ensure-metrics");
        client.heartbeat(node);
        assertThat(client.ensure(appId).get("created").booleanValue()).isTrue();
        assertThat(client.ensure(appId).get("created").booleanValue()).isFalse();
        assertThat(client.ensure(appId).get("created").booleanValue()).isFalse();
        client.setEnabled(node, false);
        assertThat(client.asRunner().post(ENSURE, Map.of("appId", appId)).error(409)).contains("disabled");
        assertThat(client.asRunner().post(ENSURE, Map.of("appId", "bad app")).error(400)).startsWith("appId ");
        assertThat(client.anonymous().post(ENSURE, Map.of("appId", appId)).error(401)).isEqualTo("missing X-Deploy-Secret header");

        PrometheusText after = scrape();
        for (Map.Entry<String, Integer> outcome : Map.of("no_capacity", 1, "created", 1, "hit", 2, "conflict", 1,
                "moved", 0).entrySet()) {
            assertThat(after.counter("deploy_ensure_total", "outcome", outcome.getKey())).as(outcome.getKey())
                    .isEqualTo(before.counter("deploy_ensure_total", "outcome", outcome.getKey()) + outcome.getValue());
        }
        assertThat(client.placement(appId).get("nodeId").longValue()).isEqualTo(client.node(node).get("nodeId").longValue());
    }

    @Test
    void reassignsAreCountedOnlyWhenTheAppReallyMoved() {
        PrometheusText before = scrape();
        long target = healthyNode("reassign-metrics");
        String stale = TestIds.nodeName("reassign-metrics-stale");
        long staleId = client.upsert(Map.of("name", stale, "agentBaseUrl", "http://10.0.0.1:7005",
                "gatewayBaseUrl", "https://gw.example.com")).get("nodeId").longValue();
        String appId = TestIds.appId("reassign-metrics");

        client.reassign(appId, target);
        client.reassign(TestIds.appId("reassign-metrics"), target);
        assertThat(client.asAdmin().post(REASSIGN, Map.of("appId", appId, "targetNodeId", staleId)).error(409))
                .isEqualTo("targetNodeId " + staleId + " (" + stale + ") is stale (no recent heartbeat)");
        assertThat(client.asAdmin().post(REASSIGN, Map.of("appId", appId, "targetNodeId", 987654321)).error(404))
                .contains("987654321");

        PrometheusText after = scrape();
        assertThat(after.counter("deploy_reassigns_total")).isEqualTo(before.counter("deploy_reassigns_total") + 2);
        assertThat(after.counter("deploy_apps_moved_total")).as("reassigns are not counted as moves")
                .isEqualTo(before.counter("deploy_apps_moved_total"));
        assertThat(client.placement(appId).get("nodeId").longValue()).isEqualTo(target);
    }

    @Test
    void drainsCountCarriedOutCallsAndAppsMovedCountsEveryAppTheyMoved() {
        long source = healthyNode("drain-metrics-src");
        long target = healthyNode("drain-metrics-dst");
        String disabled = TestIds.nodeName("drain-metrics-off");
        long disabledId = client.heartbeat(disabled).get("nodeId").longValue();
        client.setEnabled(disabled, false);
        for (int i = 0; i < 3; i++) {
            client.reassign(TestIds.appId("drain-metrics"), source);
        }
        PrometheusText before = scrape();

        JsonNode dryRun = client.asAdmin().post(DRAIN, Map.of("sourceNodeId", source, "targetNodeId", target,
                "dryRun", true)).ok();
        assertThat(dryRun.get("moved").intValue()).isZero();
        assertThat(client.asAdmin().post(DRAIN, Map.of("sourceNodeId", source, "targetNodeId", source)).error(400))
                .isEqualTo("sourceNodeId and targetNodeId must differ (both are " + source + ")");
        assertThat(client.asAdmin().post(DRAIN, Map.of("sourceNodeId", source, "targetNodeId", disabledId)).error(409))
                .isEqualTo("targetNodeId " + disabledId + " (" + disabled + ") is disabled");
        assertThat(client.drain(source, target, 2).get("moved").intValue()).isEqualTo(2);
        JsonNode last = client.drain(source, target, 2);
        assertThat(last.get("moved").intValue()).isEqualTo(1);
        assertThat(last.get("remaining").longValue()).isZero();
        assertThat(client.drain(source, target, 2).get("moved").intValue()).as("nothing left to move").isZero();

        PrometheusText after = scrape();
        assertThat(after.counter("deploy_drains_total")).isEqualTo(before.counter("deploy_drains_total") + 3);
        assertThat(after.counter("deploy_apps_moved_total")).isEqualTo(before.counter("deploy_apps_moved_total") + 3);
        assertThat(client.placements(target, 0, 10).get("total").longValue()).isEqualTo(3);
    }

    @Test
    void authenticationFailuresAreCountedPerGroupAndReason() {
        PrometheusText before = scrape();
        String wrong = "wrong-token-0b3c";

        client.anonymous().post(HEARTBEAT, DeployClient.heartbeatBody(TestIds.nodeName("auth-metrics"))).error(401);
        client.anonymous().header(DeployClient.NODE_HEADER, wrong).post(HEARTBEAT, Map.of()).error(401);
        client.anonymous().header(DeployClient.NODE_HEADER, wrong).post(HEARTBEAT, Map.of()).error(401);
        client.anonymous().get(DeployClient.NODE_LIST).error(401);
        client.anonymous().header(DeployClient.ADMIN_HEADER, wrong).get(DeployClient.NODE_LIST).error(401);
        client.asAdmin().post(ENSURE, Map.of("appId", "auth-metrics")).error(401);
        client.asAdmin().post(ENSURE, Map.of("appId", "auth-metrics")).error(401);
        client.anonymous().header(DeployClient.INTERNAL_HEADER, wrong).get("/internal/placements/auth-metrics").error(401);
        client.anonymous().get("/internal/health").ok();

        PrometheusText after = scrape();
        Map<String, Integer> expected = Map.of("runtime_node_registry/missing_token", 1, "runtime_node_registry/wrong_token", 2,
                "admin/missing_token", 1, "admin/wrong_token", 1, "internal_api/missing_token", 2,
                "internal_api/wrong_token", 1);
        for (String group : new String[] {"runtime_node_registry", "admin", "internal_api"}) {
            for (String reason : new String[] {"missing_token", "wrong_token", "forbidden"}) {
                assertThat(after.counter("deploy_auth_failures_total", "group", group, "reason", reason))
                        .as(group + "/" + reason)
                        .isEqualTo(before.counter("deploy_auth_failures_total", "group", group, "reason", reason)
                                + expected.getOrDefault(group + "/" + reason, 0));
            }
        }
    }

    @Test
    void nodeAndPlacementGaugesFollowTheFleetOnceTheSnapshotIsOlderThanFiveSeconds() {
        // The clock moved a day before this test: every earlier node is stale, and this scrape reads afresh.
        PrometheusText before = scrape();
        String healthy = TestIds.nodeName("gauge-on");
        String healthyOff = TestIds.nodeName("gauge-off");
        String never = TestIds.nodeName("gauge-never");
        long healthyId = client.heartbeat(healthy).get("nodeId").longValue();
        long healthyOffId = client.heartbeat(healthyOff).get("nodeId").longValue();
        long neverId = client.upsert(Map.of("name", never, "agentBaseUrl", "http://10.0.0.1:7005",
                "gatewayBaseUrl", "https://gw.example.com")).get("nodeId").longValue();
        client.reassign(TestIds.appId("gauge"), healthyId);
        client.reassign(TestIds.appId("gauge"), healthyId);
        client.reassign(TestIds.appId("gauge"), healthyOffId);
        client.setEnabled(healthyOff, false);

        PrometheusText cached = scrape();
        assertThat(cached.gauge("deploy_placements")).as("within five seconds the old reading stands")
                .isEqualTo(before.gauge("deploy_placements"));
        clock.advance(SNAPSHOT_MAX_AGE);
        PrometheusText after = scrape();

        assertThat(after.type("deploy_nodes")).isEqualTo("gauge");
        assertThat(after.gauge("deploy_nodes", "enabled", "true", "health", "healthy")).isEqualTo(1);
        assertThat(after.gauge("deploy_nodes", "enabled", "false", "health", "healthy")).isEqualTo(1);
        assertThat(after.gauge("deploy_nodes", "enabled", "true", "health", "stale"))
                .isEqualTo(before.gauge("deploy_nodes", "enabled", "true", "health", "stale") + 1);
        assertThat(after.gauge("deploy_nodes", "enabled", "false", "health", "stale"))
                .isEqualTo(before.gauge("deploy_nodes", "enabled", "false", "health", "stale"));
        assertThat(after.gauge("deploy_nodes", "enabled", "true", "health", "unknown")).isZero();
        assertThat(after.gauge("deploy_placements")).isEqualTo(before.gauge("deploy_placements") + 3);
        assertThat(after.gauge("deploy_node_placements", "node_id", String.valueOf(healthyId), "node", healthy)).isEqualTo(2);
        assertThat(after.gauge("deploy_node_placements", "node_id", String.valueOf(healthyOffId), "node", healthyOff)).isEqualTo(1);
        assertThat(after.gauge("deploy_node_placements", "node_id", String.valueOf(neverId), "node", never)).isZero();
    }

    @Test
    void theRedeployBacklogGaugeCountsMovedAppsUntilTheirRedeploy() {
        long a = client.heartbeat(TestIds.nodeName("backlog-gauge-a")).get("nodeId").longValue();
        long b = client.heartbeat(TestIds.nodeName("backlog-gauge-b")).get("nodeId").longValue();
        String moved = TestIds.appId("backlog-gauge");
        client.reassign(moved, a);
        clock.advance(SNAPSHOT_MAX_AGE);
        PrometheusText before = scrape();

        client.reassign(moved, b);
        client.drain(a, b, 10);
        clock.advance(SNAPSHOT_MAX_AGE);
        PrometheusText whileMoved = scrape();
        client.report(moved, Map.of("status", "SUCCEEDED"));
        clock.advance(SNAPSHOT_MAX_AGE);
        PrometheusText afterRedeploy = scrape();

        assertThat(whileMoved.type("deploy_redeploy_backlog")).isEqualTo("gauge");
        assertThat(whileMoved.gauge("deploy_redeploy_backlog")).isEqualTo(before.gauge("deploy_redeploy_backlog") + 1);
        assertThat(afterRedeploy.gauge("deploy_redeploy_backlog")).isEqualTo(before.gauge("deploy_redeploy_backlog"));
    }

    @Test
    void bootsRequestTimersArePresentPerEndpointAndStatus() {
        client.heartbeat(TestIds.nodeName("timer"));
        client.anonymous().get(DeployClient.NODE_LIST).error(401);

        PrometheusText after = scrape();

        assertThat(after.type("http_server_requests_seconds")).isIn("summary", "histogram");
        assertThat(after.find("http_server_requests_seconds_count", "method", "POST",
                "uri", "/internal/runtime-nodes/heartbeat", "status", "200", "outcome", "SUCCESS"))
                .singleElement().satisfies(sample -> assertThat(sample.value()).isGreaterThanOrEqualTo(1));
        assertThat(after.find("http_server_requests_seconds_sum", "method", "POST",
                "uri", "/internal/runtime-nodes/heartbeat", "status", "200")).hasSize(1);
        assertThat(after.find("http_server_requests_seconds_max", "method", "POST",
                "uri", "/internal/runtime-nodes/heartbeat", "status", "200")).hasSize(1);
        assertThat(after.find("http_server_requests_seconds_count", "method", "GET", "status", "401"))
                .as("refused calls are timed too").isNotEmpty();
    }
}
