package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.AuditTrail;
import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.Json;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.ViewFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static fun.ai.studio.deploy.support.DeployClient.HEARTBEAT;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /internal/runtime-nodes/heartbeat}: upsert by name, validation of every field, the node view. */
class HeartbeatApiTest extends InMemoryContractTest {

    private static final String URL_512 = "http://h.example.com/" + "a".repeat(512 - "http://h.example.com/".length());

    @Test
    void firstHeartbeatCreatesAnEnabledHealthyPlaceableNodeWithDefaultWeight() {
        String name = TestIds.nodeName("hb-new");
        assertThat(client.hasNode(name)).isFalse();

        JsonNode view = client.heartbeat(name);

        assertThat(Json.fieldNames(view)).isEqualTo(ViewFields.NODE_VIEW);
        assertThat(view.get("nodeId").isIntegralNumber()).isTrue();
        assertThat(view.get("nodeId").longValue()).isPositive();
        assertThat(view.get("name").stringValue()).isEqualTo(name);
        assertThat(view.get("agentBaseUrl").stringValue()).isEqualTo("http://10.0.0.12:7005");
        assertThat(view.get("gatewayBaseUrl").stringValue()).isEqualTo("https://gw.example.com");
        assertThat(view.get("enabled").booleanValue()).isTrue();
        assertThat(view.get("weight").intValue()).isEqualTo(100);
        assertThat(view.get("lastHeartbeatAtMs").longValue()).isEqualTo(nowMs());
        assertThat(view.get("health").stringValue()).isEqualTo("HEALTHY");
        assertThat(view.get("placeable").booleanValue()).isTrue();
        assertThat(view.get("placementCount").longValue()).isZero();
        assertThat(view.get("diskFreePct").doubleValue()).isEqualTo(71.5);
        assertThat(view.get("diskFreeBytes").longValue()).isEqualTo(123456789L);
        assertThat(view.get("containerCount").intValue()).isEqualTo(12);
        assertThat(client.node(name)).isEqualTo(view);
    }

    @Test
    void heartbeatTimeIsAnIsoUtcStringWithMillisecondsAndTheSameInstantInEpochMilliseconds() {
        String name = TestIds.nodeName("hb-time");
        // Sub-millisecond digits on the clock must not leak: every store keeps milliseconds.
        Instant at = clock.set(now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS).plusNanos(7_654_321));

        JsonNode view = client.heartbeat(name);

        long expectedMs = at.truncatedTo(ChronoUnit.MILLIS).toEpochMilli();
        String iso = view.get("lastHeartbeatAt").stringValue();
        assertThat(view.get("lastHeartbeatAtMs").isIntegralNumber()).isTrue();
        assertThat(view.get("lastHeartbeatAtMs").longValue()).isEqualTo(expectedMs);
        assertThat(iso).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z").endsWith(".007Z");
        assertThat(Instant.parse(iso).toEpochMilli()).isEqualTo(expectedMs);

        Instant wholeSecond = clock.set(now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS));
        String onTheSecond = client.heartbeat(name).get("lastHeartbeatAt").stringValue();
        assertThat(onTheSecond).endsWith(".000Z");
        assertThat(Instant.parse(onTheSecond)).isEqualTo(wholeSecond);
    }

    @Test
    void laterHeartbeatReplacesUrlsAndMetricsAndAbsentMetricsBecomeNull() {
        String name = TestIds.nodeName("hb-replace");
        JsonNode first = client.heartbeat(name);
        clock.advance(Duration.ofSeconds(30));

        JsonNode second = client.asNode().post(HEARTBEAT, Map.of("nodeName", name,
                "agentBaseUrl", "http://10.0.0.99:7006", "gatewayBaseUrl", "https://gw2.example.com",
                "diskFreePct", 12.25)).ok();

        assertThat(second.get("nodeId")).isEqualTo(first.get("nodeId"));
        assertThat(second.get("agentBaseUrl").stringValue()).isEqualTo("http://10.0.0.99:7006");
        assertThat(second.get("gatewayBaseUrl").stringValue()).isEqualTo("https://gw2.example.com");
        assertThat(second.get("diskFreePct").doubleValue()).isEqualTo(12.25);
        assertThat(Json.isExplicitNull(second, "diskFreeBytes")).isTrue();
        assertThat(Json.isExplicitNull(second, "containerCount")).isTrue();
        assertThat(second.get("lastHeartbeatAtMs").longValue()).isEqualTo(nowMs());
        assertThat(client.node(name)).isEqualTo(second);
    }

    @Test
    void heartbeatNeverChangesEnabledOrWeightEvenWhenTheBodyCarriesThem() {
        String name = TestIds.nodeName("hb-keep");
        client.heartbeat(name);
        client.upsert(Map.of("name", name, "agentBaseUrl", "http://10.0.0.12:7005",
                "gatewayBaseUrl", "https://gw.example.com", "weight", 7));
        client.setEnabled(name, false);

        Map<String, Object> body = DeployClient.heartbeatBody(name);
        body.put("enabled", true);
        body.put("weight", 100);
        JsonNode view = client.asNode().post(HEARTBEAT, body).ok();

        assertThat(view.get("enabled").booleanValue()).isFalse();
        assertThat(view.get("weight").intValue()).isEqualTo(7);
        assertThat(view.get("health").stringValue()).isEqualTo("HEALTHY");
        assertThat(view.get("placeable").booleanValue()).isFalse();
        assertThat(client.node(name)).isEqualTo(view);
    }

    @Test
    void unknownFieldsInTheBodyAreIgnored() {
        String name = TestIds.nodeName("hb-newer-agent");
        Map<String, Object> body = DeployClient.heartbeatBody(name);
        body.put("agentVersion", "9.1.0");
        body.put("labels", Map.of("zone", "eu-1"));
        body.put("gpus", new int[] {0, 1});
        body.put("enabled", false);
        body.put("weight", 3);

        JsonNode view = client.asNode().post(HEARTBEAT, body).ok();

        assertThat(view.get("name").stringValue()).isEqualTo(name);
        assertThat(view.get("enabled").booleanValue()).isTrue();
        assertThat(view.get("weight").intValue()).isEqualTo(100);
        assertThat(Json.fieldNames(view)).isEqualTo(ViewFields.NODE_VIEW);
    }

    @Test
    void metricsAreOptional() {
        String name = TestIds.nodeName("hb-bare");

        JsonNode view = client.asNode().post(HEARTBEAT, Map.of("nodeName", name,
                "agentBaseUrl", "http://10.0.0.12:7005", "gatewayBaseUrl", "https://gw.example.com")).ok();

        assertThat(Json.isExplicitNull(view, "diskFreePct")).isTrue();
        assertThat(Json.isExplicitNull(view, "diskFreeBytes")).isTrue();
        assertThat(Json.isExplicitNull(view, "containerCount")).isTrue();
        assertThat(view.get("placeable").booleanValue()).isTrue();
    }

    static Stream<String> acceptedNames() {
        return Stream.of("a".repeat(64), "A", "7", "rt-node_01.eu", "Node.With-All_Kinds.0");
    }

    @ParameterizedTest
    @MethodSource("acceptedNames")
    void nodeNameWithinTheRulesIsAccepted(String name) {
        // The same name may come up again in this shared context; only its acceptance matters here.
        JsonNode view = client.heartbeat(name);

        assertThat(view.get("name").stringValue()).isEqualTo(name);
        assertThat(client.node(name).get("nodeId")).isEqualTo(view.get("nodeId"));
    }

    static Stream<String> refusedNames() {
        return Stream.of("b".repeat(65), "-leading-dash", ".leading-dot", "_leading-underscore", "has space",
                "slash/inside", "bang!", "colon:inside", "caf\u00e9", "");
    }

    @ParameterizedTest
    @MethodSource("refusedNames")
    void nodeNameBreakingTheRulesIs400AndCreatesNothing(String name) {
        JsonNode before = client.nodes();

        String message = client.asNode().post(HEARTBEAT, DeployClient.heartbeatBody(name)).error(400);

        assertThat(message).contains("nodeName").contains("1-64 characters").contains("A-Z a-z 0-9 . _ -");
        assertThat(client.nodes()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodeName", "agentBaseUrl", "gatewayBaseUrl"})
    void missingRequiredFieldIs400NamingItAndCreatesNothing(String field) {
        Map<String, Object> body = DeployClient.heartbeatBody(TestIds.nodeName("hb-missing"));
        body.remove(field);
        JsonNode before = client.nodes();

        String message = client.asNode().post(HEARTBEAT, body).error(400);

        assertThat(message).isEqualTo(field + " is required");
        assertThat(client.nodes()).isEqualTo(before);
    }

    static Stream<String> acceptedUrls() {
        // rt_agent_1: a Compose service name; an underscore is fine in an RFC 3986 reg-name.
        return Stream.of("http://10.0.0.12:7005", "https://gw.example.com", "http://[fd00::12]:7005",
                "HTTPS://GW.EXAMPLE.COM/base?x=1", URL_512, "http://rt_agent_1:7005", "https://gw_1.internal/base",
                "http://rt~agent!1:7005", "http://rt%5Fagent:7005", "http://ops@rt_agent_1:7005");
    }

    @ParameterizedTest
    @MethodSource("acceptedUrls")
    void absoluteHttpOrHttpsUrlsWithAHostUpTo512CharactersAreAccepted(String url) {
        String name = TestIds.nodeName("hb-url");
        Map<String, Object> body = DeployClient.heartbeatBody(name);
        body.put("agentBaseUrl", url);
        body.put("gatewayBaseUrl", url);

        JsonNode view = client.asNode().post(HEARTBEAT, body).ok();

        assertThat(view.get("agentBaseUrl").stringValue()).isEqualTo(url);
        assertThat(view.get("gatewayBaseUrl").stringValue()).isEqualTo(url);
    }

    static Stream<Arguments> refusedUrls() {
        return Stream.of("agentBaseUrl", "gatewayBaseUrl").flatMap(field -> Stream.of(
                "ftp://files.example.com", "/relative/path", "relative/path", "10.0.0.12:7005", "http://",
                "http:///no-host", "mailto:ops@example.com", "http://bad host.example.com", "",
                URL_512 + "b", "http://:7005", "http://rt_agent_1:70x5", "http://rt_agent_1:7005:1", "http://a@b@rt_agent_1",
                "http://rt_agent%zz:7005", "ftp://rt_agent_1", "http://[fd00::12:7005").map(url -> Arguments.of(field, url)));
    }

    @ParameterizedTest
    @MethodSource("refusedUrls")
    void urlThatIsNotAbsoluteHttpWithAHostOrIsLongerThan512IsRefused(String field, String url) {
        String name = TestIds.nodeName("hb-bad-url");
        Map<String, Object> body = DeployClient.heartbeatBody(name);
        body.put(field, url);
        JsonNode before = client.nodes();

        String message = client.asNode().post(HEARTBEAT, body).error(400);

        assertThat(message).isEqualTo(field + " must be an absolute http or https URL with a host, at most 512 characters");
        assertThat(client.nodes()).isEqualTo(before);
    }

    static Stream<Arguments> acceptedMetrics() {
        return Stream.of(Arguments.of("diskFreePct", 0), Arguments.of("diskFreePct", 100),
                Arguments.of("diskFreePct", 0.01), Arguments.of("diskFreeBytes", 0),
                Arguments.of("diskFreeBytes", Long.MAX_VALUE), Arguments.of("containerCount", 0));
    }

    @ParameterizedTest
    @MethodSource("acceptedMetrics")
    void metricsAtTheirBoundsAreAccepted(String field, Number value) {
        Map<String, Object> body = DeployClient.heartbeatBody(TestIds.nodeName("hb-metric"));
        body.put(field, value);

        JsonNode view = client.asNode().post(HEARTBEAT, body).ok();

        assertThat(view.get(field).decimalValue()).isEqualByComparingTo(new java.math.BigDecimal(value.toString()));
    }

    static Stream<Arguments> refusedMetrics() {
        return Stream.of(
                Arguments.of("diskFreePct", -0.1, "diskFreePct must be between 0 and 100"),
                Arguments.of("diskFreePct", 100.01, "diskFreePct must be between 0 and 100"),
                Arguments.of("diskFreePct", -5, "diskFreePct must be between 0 and 100"),
                Arguments.of("diskFreeBytes", -1, "diskFreeBytes must be 0 or more"),
                Arguments.of("containerCount", -1, "containerCount must be 0 or more"));
    }

    @ParameterizedTest
    @MethodSource("refusedMetrics")
    void metricOutOfRangeIs400NamingItAndCreatesNothing(String field, Number value, String expected) {
        Map<String, Object> body = DeployClient.heartbeatBody(TestIds.nodeName("hb-bad-metric"));
        body.put(field, value);
        JsonNode before = client.nodes();

        String message = client.asNode().post(HEARTBEAT, body).error(400);

        assertThat(message).isEqualTo(expected);
        assertThat(client.nodes()).isEqualTo(before);
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("diskFreePct", "\"lots\""),
                Arguments.of("diskFreeBytes", "\"big\""),
                Arguments.of("containerCount", "\"many\""),
                Arguments.of("containerCount", "[1]"),
                Arguments.of("containerCount", "3000000000"),
                Arguments.of("diskFreeBytes", "99999999999999999999"),
                Arguments.of("nodeName", "{\"first\": \"rt\"}"),
                Arguments.of("agentBaseUrl", "[\"http://10.0.0.12:7005\"]"));
    }

    @ParameterizedTest
    @MethodSource("wrongTypes")
    void valueOfTheWrongJsonTypeIs400NamingTheFieldAndCreatesNothing(String field, String rawJson) {
        String name = TestIds.nodeName("hb-type");
        Map<String, Object> body = DeployClient.heartbeatBody(name);
        body.put(field, "RAW");
        String json = DeployClient.toJson(body).replace("\"RAW\"", rawJson);
        JsonNode before = client.nodes();

        String message = client.asNode().post(HEARTBEAT, json).error(400);

        assertThat(message).startsWith(field + " ");
        assertThat(client.nodes()).isEqualTo(before);
    }

    @Test
    void refusedHeartbeatForAKnownNodeLeavesItUnchanged() {
        String name = TestIds.nodeName("hb-known");
        JsonNode before = client.heartbeat(name);
        clock.advance(Duration.ofSeconds(5));
        JsonNode stillBefore = client.node(name);
        Map<String, Object> body = DeployClient.heartbeatBody(name);
        body.put("agentBaseUrl", "ftp://10.0.0.99");
        body.put("containerCount", 1);

        client.asNode().post(HEARTBEAT, body).error(400);

        assertThat(client.node(name)).isEqualTo(stillBefore);
        assertThat(stillBefore.get("lastHeartbeatAtMs")).isEqualTo(before.get("lastHeartbeatAtMs"));
    }

    @Test
    void aHeartbeatThatChangesANodesUrlsIsAuditedWithTheOldAndNewValuesAndOneThatDoesNotIsNot() {
        AuditTrail audit = new AuditTrail(client);
        String name = TestIds.nodeName("hb-moved");
        client.heartbeat(name);
        long last = audit.newestId();

        client.heartbeat(name);
        assertThat(audit.entriesAfter(last)).as("same URLs, new figures: nothing to audit").isEmpty();
        Map<String, Object> movedAgent = DeployClient.heartbeatBody(name);
        movedAgent.put("agentBaseUrl", "http://10.0.0.99:7006");
        client.asNode().post(HEARTBEAT, movedAgent).ok();
        Map<String, Object> movedBoth = DeployClient.heartbeatBody(name);
        movedBoth.put("gatewayBaseUrl", "https://gw2.example.com");
        client.asNode().post(HEARTBEAT, movedBoth).ok();

        List<JsonNode> entries = audit.entriesAfter(last);
        assertThat(entries).hasSize(2);
        assertThat(entries).allSatisfy(entry -> {
            assertThat(entry.get("action").stringValue()).isEqualTo("urls-changed");
            assertThat(entry.get("status").intValue()).isEqualTo(200);
            assertThat(entry.get("clientAddress").stringValue()).isEqualTo("127.0.0.1");
        });
        assertThat(entries.get(0).get("request").stringValue()).isEqualTo("nodeName=" + name
                + " agentBaseUrl=http://10.0.0.99:7006 gatewayBaseUrl=https://gw.example.com");
        assertThat(entries.get(0).get("outcome").stringValue())
                .isEqualTo("node " + name + ": agentBaseUrl http://10.0.0.12:7005 -> http://10.0.0.99:7006");
        assertThat(entries.get(1).get("outcome").stringValue()).isEqualTo("node " + name
                + ": agentBaseUrl http://10.0.0.99:7006 -> http://10.0.0.12:7005; "
                + "gatewayBaseUrl https://gw.example.com -> https://gw2.example.com");
    }
}
