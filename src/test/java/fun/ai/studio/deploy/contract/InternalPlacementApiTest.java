package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.Json;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.ViewFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static fun.ai.studio.deploy.support.DeployClient.ENSURE;
import static org.assertj.core.api.Assertions.assertThat;

/** The Runner's placement API: ensure (first choice, stickiness, refusals) and the read-only lookup. */
class InternalPlacementApiTest extends InMemoryContractTest {

    private static final String APP_ID_RULE = "appId must be 1-128 characters of A-Z a-z 0-9 . _ : -";
    private static final String TOO_LONG = "x".repeat(129);

    @Test
    void firstEnsureStoresThePlacementAndLaterCallsAreStickyAndRefreshLastActiveAt() {
        String nodeName = TestIds.nodeName("first");
        JsonNode node = client.heartbeat(nodeName);
        String appId = TestIds.appId("sticky");

        JsonNode first = client.ensure(appId);

        assertThat(Json.fieldNames(first)).isEqualTo(ViewFields.PLACEMENT_VIEW);
        assertThat(first.get("appId").stringValue()).isEqualTo(appId);
        assertThat(first.get("nodeId")).isEqualTo(node.get("nodeId"));
        assertThat(first.get("nodeName").stringValue()).isEqualTo(nodeName);
        assertThat(first.get("agentBaseUrl")).isEqualTo(node.get("agentBaseUrl"));
        assertThat(first.get("gatewayBaseUrl")).isEqualTo(node.get("gatewayBaseUrl"));
        assertThat(first.get("lastActiveAt").longValue()).isEqualTo(nowMs());
        assertThat(first.get("created").booleanValue()).isTrue();

        // A newer node joining must not pull the app away from where it was first placed.
        client.heartbeat(TestIds.nodeName("newcomer"));
        clock.advance(Duration.ofSeconds(7));
        JsonNode second = client.ensure(appId);

        assertThat(second.get("nodeId")).isEqualTo(node.get("nodeId"));
        assertThat(second.get("created").booleanValue()).isFalse();
        assertThat(second.get("lastActiveAt").longValue()).isEqualTo(nowMs());
        assertThat(client.placement(appId).get("lastActiveAt").longValue()).isEqualTo(nowMs());
    }

    @Test
    void firstEnsureChoosesFloorModOfTheHashCodeAmongPlaceableNodesSortedById() {
        client.heartbeat(TestIds.nodeName("went-stale"));
        clock.advance(STALE_AFTER);
        long first = client.heartbeat(TestIds.nodeName("placeable-1")).get("nodeId").longValue();
        String disabled = TestIds.nodeName("disabled");
        client.heartbeat(disabled);
        client.setEnabled(disabled, false);
        long second = client.heartbeat(TestIds.nodeName("placeable-2")).get("nodeId").longValue();
        client.upsert(Map.of("name", TestIds.nodeName("never-heartbeat"), "agentBaseUrl", "http://10.0.0.1:7005",
                "gatewayBaseUrl", "http://10.0.0.1:8080"));
        long third = client.heartbeat(TestIds.nodeName("placeable-3")).get("nodeId").longValue();
        List<Long> placeable = List.of(first, second, third);

        List<String> appIds = appIdsCoveringEveryIndex(placeable.size());
        for (String appId : appIds) {
            JsonNode view = client.ensure(appId);
            long expected = placeable.get(Math.floorMod(appId.hashCode(), placeable.size()));
            assertThat(view.get("nodeId").longValue()).as("node of %s (hashCode %d)", appId, appId.hashCode())
                    .isEqualTo(expected);
        }
    }

    /**
     * AppIds whose first choice lands on every index, including negative hash codes for which
     * {@code Math.floorMod} differs from the common mistakes {@code Math.abs(h) % n} and {@code h % n}.
     */
    private static List<String> appIdsCoveringEveryIndex(int nodes) {
        String prefix = TestIds.appId("hash");
        List<String> appIds = new ArrayList<>();
        Set<Integer> indexes = new HashSet<>();
        int negatives = 0;
        for (int i = 0; appIds.size() < 12 || indexes.size() < nodes || negatives < 6; i++) {
            String appId = prefix + "-" + i;
            int hash = appId.hashCode();
            boolean telling = hash < 0 && Math.floorMod(hash, nodes) != Math.abs(hash) % nodes;
            if (telling || (hash >= 0 && appIds.size() - negatives < 6)) {
                appIds.add(appId);
                indexes.add(Math.floorMod(hash, nodes));
                negatives += telling ? 1 : 0;
            }
        }
        return appIds;
    }

    @Test
    void ensureWithNoPlaceableNodeIs503AndStoresNothing() {
        String disabled = TestIds.nodeName("only-disabled");
        client.heartbeat(disabled);
        client.setEnabled(disabled, false);
        client.upsert(Map.of("name", TestIds.nodeName("only-registered"), "agentBaseUrl", "http://10.0.0.1:7005",
                "gatewayBaseUrl", "http://10.0.0.1:8080"));
        String appId = TestIds.appId("homeless");

        String message = client.asRunner().post(ENSURE, Map.of("appId", appId)).error(503);

        assertThat(message).contains("no placeable runtime node");
        client.asRunner().get("/internal/placements/" + appId).error(404);
        client.heartbeat(TestIds.nodeName("rescuer"));
        assertThat(client.ensure(appId).get("created").booleanValue()).isTrue();
    }

    @Test
    void ensureOfAnAppOnADisabledNodeIs409NamingTheNodeAndSayingToDrainOrReassign() {
        String nodeName = TestIds.nodeName("taken-out");
        long node = client.heartbeat(nodeName).get("nodeId").longValue();
        String appId = TestIds.appId("stranded");
        JsonNode placed = client.ensure(appId);
        client.setEnabled(nodeName, false);
        long spare = client.heartbeat(TestIds.nodeName("spare")).get("nodeId").longValue();
        clock.advance(Duration.ofSeconds(3));

        String message = client.asRunner().post(ENSURE, Map.of("appId", appId)).error(409);

        assertThat(message).contains(nodeName).contains(Long.toString(node)).contains("disabled")
                .contains("drain").contains("reassign");
        JsonNode unchanged = client.placement(appId);
        assertThat(unchanged.get("nodeId").longValue()).isEqualTo(node);
        assertThat(unchanged.get("lastActiveAt")).isEqualTo(placed.get("lastActiveAt"));

        client.reassign(appId, spare);
        assertThat(client.ensure(appId).get("nodeId").longValue()).isEqualTo(spare);
    }

    @Test
    void ensureOfAnAppOnAStaleNodeIs409NamingTheNodeAndSayingToDrainOrReassign() {
        String nodeName = TestIds.nodeName("gone-quiet");
        long node = client.heartbeat(nodeName).get("nodeId").longValue();
        String appId = TestIds.appId("stranded");
        JsonNode placed = client.ensure(appId);
        clock.advance(STALE_AFTER);
        client.heartbeat(TestIds.nodeName("spare"));

        String message = client.asRunner().post(ENSURE, Map.of("appId", appId)).error(409);

        assertThat(message).contains(nodeName).contains(Long.toString(node)).contains("stale")
                .contains("drain").contains("reassign");
        JsonNode unchanged = client.placement(appId);
        assertThat(unchanged.get("nodeId").longValue()).isEqualTo(node);
        assertThat(unchanged.get("lastActiveAt")).isEqualTo(placed.get("lastActiveAt"));
    }

    static Stream<String> invalidAppIds() {
        return Stream.of(TOO_LONG, "has space", "", "slash/inside", "caf\u00e9", "tab\there", "semi;colon");
    }

    @ParameterizedTest
    @MethodSource("invalidAppIds")
    void ensureWithAnInvalidAppIdIs400AndStoresNothing(String appId) {
        String nodeName = TestIds.nodeName("untouched");
        client.heartbeat(nodeName);

        String message = client.asRunner().post(ENSURE, Map.of("appId", appId)).error(400);

        assertThat(message).isEqualTo(APP_ID_RULE);
        assertThat(client.node(nodeName).get("placementCount").longValue()).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{}                  | appId is required",
            "{\"appId\": null}     | appId is required",
            "{\"appId\": [\"a\"]}  | appId has the wrong type or format",
            "{\"appId\": {\"a\": 1}} | appId has the wrong type or format",
            "{\"appId\": 42}       | appId has the wrong type or format",
            "{\"appId\": 4.2}      | appId has the wrong type or format",
            "{\"appId\": true}     | appId has the wrong type or format"})
    void ensureWithAMissingOrMistypedAppIdIs400(String json, String expected) {
        String nodeName = TestIds.nodeName("untouched");
        client.heartbeat(nodeName);

        assertThat(client.asRunner().post(ENSURE, json.strip()).error(400)).isEqualTo(expected);
        assertThat(client.node(nodeName).get("placementCount").longValue()).isZero();
    }

    @Test
    void appIdOf128CharactersUsingEveryAllowedSymbolIsAccepted() {
        client.heartbeat(TestIds.nodeName("long-ids"));
        String prefix = TestIds.appId("Ok.all_kinds:of-") + "-";
        String appId = prefix + "Z9".repeat((128 - prefix.length()) / 2) + (prefix.length() % 2 == 0 ? "" : "z");
        assertThat(appId).hasSize(128);

        assertThat(client.ensure(appId).get("appId").stringValue()).isEqualTo(appId);
        assertThat(client.placement(appId).get("appId").stringValue()).isEqualTo(appId);
    }

    @Test
    void appIdsDifferingOnlyInCaseAreTwoApps() {
        client.heartbeat(TestIds.nodeName("case"));
        String base = TestIds.appId("case");

        JsonNode upper = client.ensure(base + "-App1");
        JsonNode lower = client.ensure(base + "-app1");

        assertThat(upper.get("created").booleanValue()).isTrue();
        assertThat(lower.get("created").booleanValue()).isTrue();
        assertThat(client.placement(base + "-App1").get("appId").stringValue()).isEqualTo(base + "-App1");
        assertThat(client.placement(base + "-app1").get("appId").stringValue()).isEqualTo(base + "-app1");
        client.asRunner().get("/internal/placements/" + base + "-APP1").error(404);
    }

    @Test
    void lookupReturnsTheViewWithCreatedFalseWithoutRefreshingIt() {
        client.heartbeat(TestIds.nodeName("lookup"));
        String appId = TestIds.appId("looked-up");
        JsonNode ensured = client.ensure(appId);
        clock.advance(Duration.ofSeconds(20));

        JsonNode looked = client.placement(appId);

        assertThat(Json.fieldNames(looked)).isEqualTo(ViewFields.PLACEMENT_VIEW);
        assertThat(looked.get("created").booleanValue()).isFalse();
        for (String field : List.of("appId", "nodeId", "nodeName", "agentBaseUrl", "gatewayBaseUrl", "lastActiveAt")) {
            assertThat(looked.get(field)).as(field).isEqualTo(ensured.get(field));
        }
        clock.advance(Duration.ofSeconds(1));
        assertThat(client.placement(appId)).isEqualTo(looked);
        assertThat(client.app(appId).get("placement").get("lastActiveAt")).isEqualTo(ensured.get("lastActiveAt"));
    }

    @Test
    void lookupAnswersWhateverTheNodeState() {
        String nodeName = TestIds.nodeName("any-state");
        long node = client.heartbeat(nodeName).get("nodeId").longValue();
        String appId = TestIds.appId("any-state");
        client.ensure(appId);

        client.setEnabled(nodeName, false);
        assertThat(client.placement(appId).get("nodeId").longValue()).isEqualTo(node);
        clock.advance(STALE_AFTER.multipliedBy(10));
        assertThat(client.placement(appId).get("nodeId").longValue()).isEqualTo(node);
        client.setEnabled(nodeName, true);
        assertThat(client.placement(appId).get("nodeName").stringValue()).isEqualTo(nodeName);
    }

    @Test
    void lookupOfAnAppWithoutPlacementIs404AndCreatesNothing() {
        client.heartbeat(TestIds.nodeName("idle"));
        String appId = TestIds.appId("not-placed");

        String message = client.asRunner().get("/internal/placements/" + appId).error(404);

        assertThat(message).contains(appId);
        client.asRunner().get("/internal/placements/" + appId).error(404);
        assertThat(client.ensure(appId).get("created").booleanValue()).isTrue();
    }

    static Stream<String> invalidAppIdsInAPath() {
        return Stream.of(TOO_LONG, "has%20space", "caf%C3%A9", "bang!", "semi%3Bcolon");
    }

    @ParameterizedTest
    @MethodSource("invalidAppIdsInAPath")
    void lookupWithAnInvalidAppIdIs400(String appId) {
        assertThat(client.asRunner().get("/internal/placements/" + appId).error(400)).isEqualTo(APP_ID_RULE);
    }
}
