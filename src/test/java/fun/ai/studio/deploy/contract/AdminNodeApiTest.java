package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.AuditTrail;
import fun.ai.studio.deploy.support.Json;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.ViewFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static fun.ai.studio.deploy.support.DeployClient.JSON;
import static fun.ai.studio.deploy.support.DeployClient.NODE_TOKEN;
import static fun.ai.studio.deploy.support.DeployClient.SET_ENABLED;
import static fun.ai.studio.deploy.support.DeployClient.UPSERT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Node list, upsert, set-enabled, and the judged fields of the node view: health, placeable, placementCount. */
class AdminNodeApiTest extends InMemoryContractTest {

    private static Map<String, Object> upsertBody(String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("agentBaseUrl", "http://10.0.1.5:7005");
        body.put("gatewayBaseUrl", "https://gw-ops.example.com");
        return body;
    }

    @Test
    void upsertAcceptsAComposeServiceNameWithUnderscoresAsTheHost() {
        String name = TestIds.nodeName("compose");
        Map<String, Object> body = upsertBody(name);
        body.put("agentBaseUrl", "http://rt_agent_1:7005");
        body.put("gatewayBaseUrl", "http://rt_gateway_1:8080/apps");

        JsonNode view = client.upsert(body);

        assertThat(view.get("agentBaseUrl").stringValue()).isEqualTo("http://rt_agent_1:7005");
        assertThat(view.get("gatewayBaseUrl").stringValue()).isEqualTo("http://rt_gateway_1:8080/apps");
        assertThat(client.node(name).get("agentBaseUrl").stringValue()).isEqualTo("http://rt_agent_1:7005");
    }

    @Test
    void listShowsEveryNodeSortedByNodeId() {
        // Created in an order unlike their names' order, so a sort by name would show.
        long zulu = client.heartbeat(TestIds.nodeName("zulu")).get("nodeId").longValue();
        long alpha = client.upsert(upsertBody(TestIds.nodeName("alpha"))).get("nodeId").longValue();
        long mike = client.heartbeat(TestIds.nodeName("mike")).get("nodeId").longValue();

        JsonNode list = client.nodes();

        List<Long> ids = Json.longs(list, "nodeId");
        assertThat(ids).isSorted().doesNotHaveDuplicates().containsSubsequence(zulu, alpha, mike);
        list.forEach(node -> assertThat(Json.fieldNames(node)).isEqualTo(ViewFields.NODE_VIEW));
    }

    @Test
    void nodeIsHealthyOneMillisecondBeforeTheStaleThresholdAndStaleExactlyAtIt() {
        String name = TestIds.nodeName("threshold");
        long heartbeatAt = client.heartbeat(name).get("lastHeartbeatAtMs").longValue();

        clock.advance(STALE_AFTER.minusMillis(1));
        JsonNode justFresh = client.node(name);
        assertThat(justFresh.get("health").stringValue()).isEqualTo("HEALTHY");
        assertThat(justFresh.get("placeable").booleanValue()).isTrue();

        clock.advance(Duration.ofMillis(1));
        assertThat(nowMs() - heartbeatAt).isEqualTo(STALE_SECONDS * 1000L);
        JsonNode stale = client.node(name);
        assertThat(stale.get("health").stringValue()).isEqualTo("STALE");
        assertThat(stale.get("placeable").booleanValue()).isFalse();
        assertThat(stale.get("lastHeartbeatAtMs").longValue()).isEqualTo(heartbeatAt);

        JsonNode revived = client.heartbeat(name);
        assertThat(revived.get("health").stringValue()).isEqualTo("HEALTHY");
        assertThat(revived.get("placeable").booleanValue()).isTrue();
    }

    @Test
    void disabledNodeStaysHealthyButIsNotPlaceable() {
        String name = TestIds.nodeName("disabled");
        client.heartbeat(name);

        client.setEnabled(name, false);

        JsonNode view = client.node(name);
        assertThat(view.get("enabled").booleanValue()).isFalse();
        assertThat(view.get("health").stringValue()).isEqualTo("HEALTHY");
        assertThat(view.get("placeable").booleanValue()).isFalse();
    }

    @Test
    void placementCountCountsTheAppsPlacedOnTheNode() {
        String name = TestIds.nodeName("counted");
        client.heartbeat(name);
        for (int i = 0; i < 3; i++) {
            client.ensure(TestIds.appId("counted-app"));
        }

        assertThat(client.node(name).get("placementCount").longValue()).isEqualTo(3);
        // A heartbeat answers the count it has and has it read again in the background, never waiting for it.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.heartbeat(name).get("placementCount").longValue() == 3);
    }

    @Test
    void upsertCreatesAStaleNodeWithDefaultsAndNoHeartbeatTime() {
        String name = TestIds.nodeName("upsert-new");

        JsonNode view = client.upsert(upsertBody(name));

        assertThat(Json.fieldNames(view)).isEqualTo(ViewFields.NODE_VIEW);
        assertThat(view.get("name").stringValue()).isEqualTo(name);
        assertThat(view.get("agentBaseUrl").stringValue()).isEqualTo("http://10.0.1.5:7005");
        assertThat(view.get("gatewayBaseUrl").stringValue()).isEqualTo("https://gw-ops.example.com");
        assertThat(view.get("enabled").booleanValue()).isTrue();
        assertThat(view.get("weight").intValue()).isEqualTo(100);
        assertThat(Json.isExplicitNull(view, "lastHeartbeatAt")).isTrue();
        assertThat(Json.isExplicitNull(view, "lastHeartbeatAtMs")).isTrue();
        assertThat(view.get("health").stringValue()).isEqualTo("STALE");
        assertThat(view.get("placeable").booleanValue()).isFalse();
        assertThat(view.get("placementCount").longValue()).isZero();
        assertThat(Json.isExplicitNull(view, "diskFreePct")).isTrue();
        assertThat(Json.isExplicitNull(view, "diskFreeBytes")).isTrue();
        assertThat(Json.isExplicitNull(view, "containerCount")).isTrue();
        assertThat(client.node(name)).isEqualTo(view);
    }

    @Test
    void upsertCreatesWithTheGivenEnabledAndWeight() {
        Map<String, Object> body = upsertBody(TestIds.nodeName("upsert-given"));
        body.put("enabled", false);
        body.put("weight", 250);

        JsonNode view = client.upsert(body);

        assertThat(view.get("enabled").booleanValue()).isFalse();
        assertThat(view.get("weight").intValue()).isEqualTo(250);
    }

    @Test
    void upsertOfAKnownNodeReplacesUrlsKeepsOmittedEnabledAndWeightAndLeavesHeartbeatAlone() {
        String name = TestIds.nodeName("upsert-known");
        JsonNode heartbeat = client.heartbeat(name);
        client.setEnabled(name, false);
        Map<String, Object> weighted = upsertBody(name);
        weighted.put("weight", 40);
        client.upsert(weighted);
        clock.advance(Duration.ofSeconds(10));

        JsonNode view = client.upsert(Map.of("name", name, "agentBaseUrl", "http://10.0.9.9:7005",
                "gatewayBaseUrl", "https://gw-moved.example.com"));

        assertThat(view.get("nodeId")).isEqualTo(heartbeat.get("nodeId"));
        assertThat(view.get("agentBaseUrl").stringValue()).isEqualTo("http://10.0.9.9:7005");
        assertThat(view.get("gatewayBaseUrl").stringValue()).isEqualTo("https://gw-moved.example.com");
        assertThat(view.get("enabled").booleanValue()).isFalse();
        assertThat(view.get("weight").intValue()).isEqualTo(40);
        assertThat(view.get("lastHeartbeatAtMs")).isEqualTo(heartbeat.get("lastHeartbeatAtMs"));
        assertThat(view.get("lastHeartbeatAt")).isEqualTo(heartbeat.get("lastHeartbeatAt"));
        assertThat(view.get("health").stringValue()).isEqualTo("HEALTHY");
        assertThat(view.get("containerCount")).isEqualTo(heartbeat.get("containerCount"));
        assertThat(view.get("diskFreePct")).isEqualTo(heartbeat.get("diskFreePct"));
    }

    @Test
    void upsertChangesEnabledAndWeightWhenGiven() {
        String name = TestIds.nodeName("upsert-change");
        client.heartbeat(name);
        Map<String, Object> body = upsertBody(name);
        body.put("enabled", false);
        body.put("weight", 0);

        JsonNode view = client.upsert(body);

        assertThat(view.get("enabled").booleanValue()).isFalse();
        assertThat(view.get("weight").intValue()).isZero();
        assertThat(view.get("placeable").booleanValue()).isFalse();
        body.put("enabled", true);
        body.put("weight", 10_000);
        JsonNode again = client.upsert(body);
        assertThat(again.get("enabled").booleanValue()).isTrue();
        assertThat(again.get("weight").intValue()).isEqualTo(10_000);
        assertThat(again.get("placeable").booleanValue()).isTrue();
    }

    static Stream<Arguments> refusedUpserts() {
        return Stream.of(
                Arguments.of("weight", -1, "weight must be between 0 and 10000"),
                Arguments.of("weight", 10_001, "weight must be between 0 and 10000"),
                Arguments.of("weight", "heavy", "weight has the wrong type or format"),
                Arguments.of("enabled", "maybe", "enabled has the wrong type or format"),
                Arguments.of("name", "-ops", "name must be 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit"),
                Arguments.of("name", "c".repeat(65), "name must be 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit"),
                Arguments.of("name", null, "name is required"),
                Arguments.of("agentBaseUrl", "ftp://10.0.1.5", "agentBaseUrl must be an absolute http or https URL with a host, at most 512 characters"),
                Arguments.of("gatewayBaseUrl", "gw.example.com", "gatewayBaseUrl must be an absolute http or https URL with a host, at most 512 characters"),
                Arguments.of("agentBaseUrl", "http://:7005", "agentBaseUrl must be an absolute http or https URL with a host, at most 512 characters"),
                Arguments.of("agentBaseUrl", "http://rt_agent_1:70x5", "agentBaseUrl must be an absolute http or https URL with a host, at most 512 characters"),
                Arguments.of("gatewayBaseUrl", null, "gatewayBaseUrl is required"));
    }

    @ParameterizedTest
    @MethodSource("refusedUpserts")
    void invalidUpsertIs400NamingTheFieldAndChangesNothing(String field, Object value, String expected) {
        String name = TestIds.nodeName("upsert-refused");
        client.heartbeat(name);
        Map<String, Object> body = upsertBody(name);
        body.put(field, value);
        JsonNode before = client.nodes();

        String message = client.asAdmin().post(UPSERT, body).error(400);

        assertThat(message).isEqualTo(expected);
        assertThat(client.nodes()).isEqualTo(before);
    }

    @ParameterizedTest
    @CsvSource({"false, disabled, false", "0, disabled, false", "true, enabled, true", "1, enabled, true"})
    void setEnabledAcceptsTrueFalseOneAndZeroAndAnswersAString(String parameter, String answer, boolean enabled) {
        String name = TestIds.nodeName("toggle");
        client.heartbeat(name);
        client.setEnabled(name, !enabled);

        JsonNode data = client.asAdmin().post(SET_ENABLED + "?name=" + name + "&enabled=" + parameter).ok();

        assertThat(data.isString()).isTrue();
        assertThat(data.stringValue()).isEqualTo(answer);
        assertThat(client.node(name).get("enabled").booleanValue()).isEqualTo(enabled);
    }

    @Test
    void setEnabledIgnoresAnyBody() {
        String name = TestIds.nodeName("toggle-body");
        client.heartbeat(name);

        JsonNode withEmptyObject = client.asAdmin().post(SET_ENABLED + "?name=" + name + "&enabled=false", "{}").ok();
        assertThat(withEmptyObject.stringValue()).isEqualTo("disabled");
        // A body that says the opposite loses to the query parameters.
        JsonNode contradicted = client.asAdmin()
                .post(SET_ENABLED + "?name=" + name + "&enabled=true", Map.of("name", "other", "enabled", false)).ok();
        assertThat(contradicted.stringValue()).isEqualTo("enabled");
        assertThat(client.node(name).get("enabled").booleanValue()).isTrue();
        JsonNode withoutBody = client.asAdmin().post(SET_ENABLED + "?name=" + name + "&enabled=0").ok();
        assertThat(withoutBody.stringValue()).isEqualTo("disabled");
        assertThat(client.node(name).get("enabled").booleanValue()).isFalse();
    }

    @Test
    void setEnabledForAnUnknownNameIs404AndCreatesNothing() {
        String name = TestIds.nodeName("never-seen");
        JsonNode before = client.nodes();

        String message = client.asAdmin().post(SET_ENABLED + "?name=" + name + "&enabled=true", "{}").error(404);

        assertThat(message).contains(name);
        assertThat(client.nodes()).isEqualTo(before);
        assertThat(client.hasNode(name)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-ops", "bad%20name", "bad!", "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"})
    void setEnabledWithAnInvalidNameIs400AndChangesNothing(String name) {
        JsonNode before = client.nodes();

        String message = client.asAdmin().post(SET_ENABLED + "?name=" + name + "&enabled=true").error(400);

        assertThat(message).isEqualTo("name must be 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit");
        assertThat(client.nodes()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"maybe", "2", "-1", "TRUEISH", ""})
    void setEnabledWithAnInvalidEnabledValueIs400AndChangesNothing(String value) {
        String name = TestIds.nodeName("toggle-bad");
        client.heartbeat(name);
        JsonNode before = client.nodes();

        String message = client.asAdmin().post(SET_ENABLED + "?name=" + name + "&enabled=" + value).error(400);

        assertThat(message).isEqualTo("enabled must be true, false, 1 or 0");
        assertThat(client.nodes()).isEqualTo(before);
    }

    @ParameterizedTest
    @CsvSource({"'?enabled=false', name", "'?name=NAME', enabled", "'', name"})
    void setEnabledWithoutAParameterIs400NamingIt(String query, String missing) {
        String name = TestIds.nodeName("toggle-missing");
        client.heartbeat(name);
        JsonNode before = client.nodes();

        String message = client.asAdmin().send("POST", SET_ENABLED + query.replace("NAME", name), JSON,
                BodyPublishers.ofString("{}")).error(400);

        assertThat(message).isEqualTo("query parameter " + missing + " is required");
        assertThat(client.nodes()).isEqualTo(before);
    }

    @Test
    void aNodeTokenUnderSharedAuthIs409SayingPerNodeAuthIsOffAfterTheNameIsChecked() {
        AuditTrail audit = new AuditTrail(client);
        long last = audit.newestId();
        JsonNode before = client.nodes();

        String off = client.asAdmin().get(NODE_TOKEN + "?name=rt-node-01").error(409);
        String invalid = client.asAdmin().get(NODE_TOKEN + "?name=-rt-node-01").error(400);

        assertThat(off).isEqualTo("per-node auth is off (deploy.runtime-node-registry.node-auth=shared): every agent "
                + "sends the shared secret, and no node has a token of its own");
        assertThat(invalid).isEqualTo("name must be 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit");
        assertThat(audit.entriesAfter(last)).extracting(entry -> entry.get("action").stringValue() + " "
                + entry.get("status").intValue() + " " + entry.get("outcome").stringValue())
                .containsExactly("token 409 " + off, "token 400 " + invalid);
        assertThat(client.nodes()).isEqualTo(before);
    }
}
