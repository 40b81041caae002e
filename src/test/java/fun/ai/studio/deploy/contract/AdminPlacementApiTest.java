package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.Json;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.ViewFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static fun.ai.studio.deploy.support.DeployClient.DRAIN;
import static fun.ai.studio.deploy.support.DeployClient.PLACEMENTS;
import static fun.ai.studio.deploy.support.DeployClient.REASSIGN;
import static org.assertj.core.api.Assertions.assertThat;

/** The operators' placement endpoints: paging a node's placements, reassign, drain, and the per-app view. */
class AdminPlacementApiTest extends InMemoryContractTest {

    private long healthyNode(String prefix) {
        return client.heartbeat(TestIds.nodeName(prefix)).get("nodeId").longValue();
    }

    private List<String> placeApps(long nodeId, String prefix, int count) {
        List<String> apps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String appId = TestIds.appId(prefix);
            client.reassign(appId, nodeId);
            apps.add(appId);
        }
        return apps;
    }

    @Test
    void placementsAreOrderedByAppIdInCodePointOrderAndPagedWithTheTotal() {
        long node = healthyNode("paged");
        String p = TestIds.appId("order") + "_";
        // Inserted shuffled; expected in ASCII order: - . 9 : A App1 B _ a app1 (App1 and app1 are two apps).
        List<String> shuffled = List.of(p + "a", p + "B", p + "app1", p + "_x", p + "9", p + "A", p + ".d",
                p + "App1", p + ":z", p + "-x");
        shuffled.forEach(appId -> client.reassign(appId, node));
        List<String> expected = List.of(p + "-x", p + ".d", p + "9", p + ":z", p + "A", p + "App1", p + "B",
                p + "_x", p + "a", p + "app1");

        JsonNode all = client.asAdmin().get(PLACEMENTS + "?nodeId=" + node).ok();

        assertThat(Json.fieldNames(all)).isEqualTo(ViewFields.PLACEMENTS_PAGE);
        assertThat(all.get("nodeId").longValue()).isEqualTo(node);
        assertThat(all.get("total").longValue()).isEqualTo(10);
        assertThat(Json.strings(all.get("items"), "appId")).isEqualTo(expected);
        all.get("items").forEach(item -> {
            assertThat(Json.fieldNames(item)).isEqualTo(ViewFields.PLACEMENT_ITEM);
            assertThat(item.get("nodeId").longValue()).isEqualTo(node);
            assertThat(item.get("lastActiveAt").longValue()).isEqualTo(nowMs());
        });
        assertThat(Json.strings(client.placements(node, 0, 3).get("items"), "appId")).isEqualTo(expected.subList(0, 3));
        assertThat(Json.strings(client.placements(node, 3, 3).get("items"), "appId")).isEqualTo(expected.subList(3, 6));
        JsonNode last = client.placements(node, 9, 3);
        assertThat(Json.strings(last.get("items"), "appId")).isEqualTo(expected.subList(9, 10));
        assertThat(last.get("total").longValue()).isEqualTo(10);
        JsonNode beyond = client.placements(node, 10, 3);
        assertThat(beyond.get("items").isEmpty()).isTrue();
        assertThat(beyond.get("total").longValue()).isEqualTo(10);
    }

    @Test
    void placementsPageHas200ItemsByDefaultAndAtMost2000() {
        long node = healthyNode("big-page");
        placeApps(node, "bulk", 201);

        JsonNode byDefault = client.asAdmin().get(PLACEMENTS + "?nodeId=" + node).ok();
        assertThat(byDefault.get("items").size()).isEqualTo(200);
        assertThat(byDefault.get("total").longValue()).isEqualTo(201);
        assertThat(client.placements(node, 0, 2000).get("items").size()).isEqualTo(201);
        assertThat(client.placements(node, 0, 1).get("items").size()).isEqualTo(1);
    }

    @Test
    void placementsOfANodeWithoutAppsIsAnEmptyPage() {
        long node = client.upsert(Map.of("name", TestIds.nodeName("empty"), "agentBaseUrl", "http://10.0.0.1:7005",
                "gatewayBaseUrl", "http://10.0.0.1:8080")).get("nodeId").longValue();

        JsonNode page = client.placements(node, 0, 200);

        assertThat(page.get("total").longValue()).isZero();
        assertThat(page.get("items").isArray() && page.get("items").isEmpty()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "&limit=0        | limit must be between 1 and 2000",
            "&limit=2001     | limit must be between 1 and 2000",
            "&limit=-5       | limit must be between 1 and 2000",
            "&offset=-1      | offset must be 0 or more",
            "&limit=abc      | limit must be an integer",
            "&offset=1.5     | offset must be an integer"})
    void placementsWithAPagingParameterOutOfRangeOrNotAnIntegerIs400(String query, String expected) {
        long node = healthyNode("bad-page");
        placeApps(node, "bad-page-app", 1);

        String message = client.asAdmin().get(PLACEMENTS + "?nodeId=" + node + query.strip()).error(400);

        assertThat(message).isEqualTo(expected);
        assertThat(client.placements(node, 0, 10).get("total").longValue()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"?nodeId=abc | nodeId must be an integer",
            "?offset=0  | query parameter nodeId is required", "'' | query parameter nodeId is required"})
    void placementsWithoutAnIntegerNodeIdIs400(String query, String expected) {
        assertThat(client.asAdmin().get(PLACEMENTS + query.strip()).error(400)).isEqualTo(expected);
    }

    @Test
    void placementsOfAnUnknownNodeIs404() {
        String message = client.asAdmin().get(PLACEMENTS + "?nodeId=987654321").error(404);

        assertThat(message).contains("987654321");
    }

    @Test
    void reassignMovesTheAppAndAnswersTheStringOk() {
        long from = healthyNode("reassign-from");
        String appId = TestIds.appId("moved");
        client.ensure(appId);
        long to = healthyNode("reassign-to");

        JsonNode data = client.asAdmin().post(REASSIGN, Map.of("appId", appId, "targetNodeId", to)).ok();

        assertThat(data.isString()).isTrue();
        assertThat(data.stringValue()).isEqualTo("ok");
        assertThat(client.placement(appId).get("nodeId").longValue()).isEqualTo(to);
        assertThat(client.placements(from, 0, 10).get("total").longValue()).isZero();
        assertThat(Json.strings(client.placements(to, 0, 10).get("items"), "appId")).containsExactly(appId);
    }

    @Test
    void reassignCreatesThePlacementWhenTheAppHasNone() {
        long to = healthyNode("reassign-create");
        String appId = TestIds.appId("fresh");
        client.asRunner().get("/internal/placements/" + appId).error(404);

        client.reassign(appId, to);

        JsonNode placement = client.placement(appId);
        assertThat(placement.get("nodeId").longValue()).isEqualTo(to);
        assertThat(placement.get("created").booleanValue()).isFalse();
        assertThat(placement.get("lastActiveAt").longValue()).isEqualTo(nowMs());
    }

    @Test
    void reassignToAnUnknownNodeIs404AndChangesNothing() {
        long from = healthyNode("reassign-404");
        String appId = TestIds.appId("stays");
        JsonNode before = client.ensure(appId);

        String message = client.asAdmin().post(REASSIGN, Map.of("appId", appId, "targetNodeId", 987654321)).error(404);

        assertThat(message).contains("targetNodeId").contains("987654321");
        assertThat(client.placement(appId).get("nodeId").longValue()).isEqualTo(from);
        assertThat(client.placement(appId).get("lastActiveAt")).isEqualTo(before.get("lastActiveAt"));
    }

    @Test
    void reassignToADisabledNodeIs409AndChangesNothing() {
        long from = healthyNode("reassign-409d");
        String appId = TestIds.appId("stays");
        client.ensure(appId);
        String targetName = TestIds.nodeName("disabled-target");
        long target = client.heartbeat(targetName).get("nodeId").longValue();
        client.setEnabled(targetName, false);

        String message = client.asAdmin().post(REASSIGN, Map.of("appId", appId, "targetNodeId", target)).error(409);

        assertThat(message).contains(targetName).contains("disabled");
        assertThat(client.placement(appId).get("nodeId").longValue()).isEqualTo(from);
        assertThat(client.placements(target, 0, 10).get("total").longValue()).isZero();
    }

    @Test
    void reassignToAStaleNodeIs409AndChangesNothing() {
        String staleName = TestIds.nodeName("stale-target");
        long target = client.heartbeat(staleName).get("nodeId").longValue();
        clock.advance(STALE_AFTER);
        long from = healthyNode("reassign-409s");
        String appId = TestIds.appId("stays");
        client.ensure(appId);
        String neverName = TestIds.nodeName("never-heartbeat");
        long neverHeartbeat = client.upsert(Map.of("name", neverName, "agentBaseUrl", "http://10.0.0.1:7005",
                "gatewayBaseUrl", "http://10.0.0.1:8080")).get("nodeId").longValue();

        String message = client.asAdmin().post(REASSIGN, Map.of("appId", appId, "targetNodeId", target)).error(409);
        String never = client.asAdmin().post(REASSIGN, Map.of("appId", appId, "targetNodeId", neverHeartbeat)).error(409);

        assertThat(message).contains(staleName).contains("stale");
        assertThat(never).contains(neverName).contains("stale");
        assertThat(client.placement(appId).get("nodeId").longValue()).isEqualTo(from);
    }

    static Stream<String> invalidAppIds() {
        return Stream.of("has space", "slash/inside", "", "caf\u00e9", "a".repeat(129));
    }

    @ParameterizedTest
    @MethodSource("invalidAppIds")
    void reassignWithAnInvalidAppIdIs400AndCreatesNothing(String appId) {
        long to = healthyNode("reassign-400");

        String message = client.asAdmin().post(REASSIGN, Map.of("appId", appId, "targetNodeId", to)).error(400);

        assertThat(message).isEqualTo("appId must be 1-128 characters of A-Z a-z 0-9 . _ : -");
        assertThat(client.placements(to, 0, 10).get("total").longValue()).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"appId\": \"APP\"}                          | targetNodeId is required",
            "{\"targetNodeId\": NODE}                      | appId is required",
            "{\"appId\": \"APP\", \"targetNodeId\": \"x\"} | targetNodeId has the wrong type or format",
            "{\"appId\": \"APP\", \"targetNodeId\": 1.5e40} | targetNodeId is out of range for its type"})
    void reassignWithAMissingOrMistypedFieldIs400NamingIt(String template, String expected) {
        long to = healthyNode("reassign-type");
        String json = template.strip().replace("APP", TestIds.appId("typed")).replace("NODE", Long.toString(to));

        assertThat(client.asAdmin().post(REASSIGN, json).error(400)).isEqualTo(expected);
        assertThat(client.placements(to, 0, 10).get("total").longValue()).isZero();
    }

    @Test
    void drainMovesAtMostLimitAndReportsRemaining() {
        long source = healthyNode("drain-src");
        long target = healthyNode("drain-dst");
        List<String> apps = placeApps(source, "drained", 5);

        JsonNode first = client.drain(source, target, 2);

        assertThat(Json.fieldNames(first)).isEqualTo(ViewFields.DRAIN_RESULT);
        assertThat(first.get("moved").intValue()).isEqualTo(2);
        assertThat(first.get("sourceNodeId").longValue()).isEqualTo(source);
        assertThat(first.get("targetNodeId").longValue()).isEqualTo(target);
        assertThat(first.get("remaining").longValue()).isEqualTo(3);
        JsonNode second = client.drain(source, target, 2);
        assertThat(second.get("moved").intValue()).isEqualTo(2);
        assertThat(second.get("remaining").longValue()).isEqualTo(1);
        JsonNode third = client.drain(source, target, 2);
        assertThat(third.get("moved").intValue()).isEqualTo(1);
        assertThat(third.get("remaining").longValue()).isZero();
        JsonNode done = client.drain(source, target, 2);
        assertThat(done.get("moved").intValue()).isZero();
        assertThat(done.get("remaining").longValue()).isZero();
        assertThat(Json.strings(client.placements(target, 0, 10).get("items"), "appId"))
                .containsExactlyInAnyOrderElementsOf(apps);
        apps.forEach(appId -> assertThat(client.placement(appId).get("nodeId").longValue()).isEqualTo(target));
    }

    @Test
    void drainMoves100ByDefault() {
        long source = healthyNode("drain-default-src");
        long target = healthyNode("drain-default-dst");
        placeApps(source, "default-drained", 101);

        JsonNode result = client.drain(source, target, null);

        assertThat(result.get("moved").intValue()).isEqualTo(100);
        assertThat(result.get("remaining").longValue()).isEqualTo(1);
        assertThat(client.placements(target, 0, 2000).get("total").longValue()).isEqualTo(100);
    }

    @Test
    void drainAcceptsLimitsFromOneTo2000() {
        long source = healthyNode("drain-limits-src");
        long target = healthyNode("drain-limits-dst");
        placeApps(source, "limits", 3);

        assertThat(client.drain(source, target, 1).get("moved").intValue()).isEqualTo(1);
        assertThat(client.drain(source, target, 2000).get("moved").intValue()).isEqualTo(2);
    }

    @Test
    void drainFromADisabledSourceWorksSoOperatorsCanEmptyANodeTheyTookOutOfService() {
        String sourceName = TestIds.nodeName("drain-disabled-src");
        long source = client.heartbeat(sourceName).get("nodeId").longValue();
        long target = healthyNode("drain-disabled-dst");
        placeApps(source, "rescued", 2);
        client.setEnabled(sourceName, false);

        JsonNode result = client.drain(source, target, null);

        assertThat(result.get("moved").intValue()).isEqualTo(2);
        assertThat(result.get("remaining").longValue()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 2001})
    void drainWithALimitOutside1To2000Is400AndMovesNothing(int limit) {
        long source = healthyNode("drain-bad-limit-src");
        long target = healthyNode("drain-bad-limit-dst");
        placeApps(source, "unmoved", 2);

        String message = client.asAdmin().post(DRAIN, Map.of("sourceNodeId", source, "targetNodeId", target,
                "limit", limit)).error(400);

        assertThat(message).isEqualTo("limit must be between 1 and 2000");
        assertThat(client.placements(source, 0, 10).get("total").longValue()).isEqualTo(2);
    }

    @Test
    void drainFromANodeToItselfIs400() {
        long node = healthyNode("drain-self");
        placeApps(node, "self", 1);

        String message = client.asAdmin().post(DRAIN, Map.of("sourceNodeId", node, "targetNodeId", node)).error(400);

        assertThat(message).contains("sourceNodeId").contains("targetNodeId").contains("differ");
        assertThat(client.placements(node, 0, 10).get("total").longValue()).isEqualTo(1);
    }

    @Test
    void drainWithAnUnknownSourceOrTargetIs404AndMovesNothing() {
        long node = healthyNode("drain-404");
        placeApps(node, "kept", 1);

        String unknownSource = client.asAdmin().post(DRAIN, Map.of("sourceNodeId", 987654321, "targetNodeId", node)).error(404);
        String unknownTarget = client.asAdmin().post(DRAIN, Map.of("sourceNodeId", node, "targetNodeId", 987654322)).error(404);

        assertThat(unknownSource).contains("sourceNodeId").contains("987654321");
        assertThat(unknownTarget).contains("targetNodeId").contains("987654322");
        assertThat(client.placements(node, 0, 10).get("total").longValue()).isEqualTo(1);
    }

    @Test
    void drainToADisabledOrStaleTargetIs409AndMovesNothing() {
        String staleName = TestIds.nodeName("drain-stale-dst");
        long stale = client.heartbeat(staleName).get("nodeId").longValue();
        clock.advance(STALE_AFTER.plus(Duration.ofSeconds(1)));
        long source = healthyNode("drain-409-src");
        String disabledName = TestIds.nodeName("drain-disabled-dst");
        long disabled = client.heartbeat(disabledName).get("nodeId").longValue();
        client.setEnabled(disabledName, false);
        placeApps(source, "blocked", 2);

        String toDisabled = client.asAdmin().post(DRAIN, Map.of("sourceNodeId", source, "targetNodeId", disabled)).error(409);
        String toStale = client.asAdmin().post(DRAIN, Map.of("sourceNodeId", source, "targetNodeId", stale)).error(409);

        assertThat(toDisabled).contains(disabledName).contains("disabled");
        assertThat(toStale).contains(staleName).contains("stale");
        assertThat(client.placements(source, 0, 10).get("total").longValue()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"targetNodeId\": DST}                                | sourceNodeId is required",
            "{\"sourceNodeId\": SRC, \"targetNodeId\": \"two\"}     | targetNodeId has the wrong type or format",
            "{\"sourceNodeId\": \"one\", \"targetNodeId\": DST}     | sourceNodeId has the wrong type or format",
            "{\"sourceNodeId\": SRC, \"targetNodeId\": DST, \"limit\": \"all\"} | limit has the wrong type or format"})
    void drainWithAMissingOrMistypedFieldIs400NamingItAndMovesNothing(String template, String expected) {
        long source = healthyNode("drain-typed-src");
        long target = healthyNode("drain-typed-dst");
        placeApps(source, "typed", 2);
        String json = template.strip().replace("SRC", Long.toString(source)).replace("DST", Long.toString(target));

        assertThat(client.asAdmin().post(DRAIN, json).error(400)).isEqualTo(expected);
        assertThat(client.placements(source, 0, 10).get("total").longValue()).isEqualTo(2);
        assertThat(client.placements(target, 0, 10).get("total").longValue()).isZero();
    }

    @Test
    void appViewShowsThePlacementWithNodeNameAndTheLastRun() {
        String nodeName = TestIds.nodeName("app-view");
        long node = client.heartbeat(nodeName).get("nodeId").longValue();
        String appId = TestIds.appId("viewed");
        client.ensure(appId);
        clock.advance(Duration.ofSeconds(2));
        JsonNode run = client.report(appId, Map.of("jobId", "job-1", "status", "SUCCEEDED"));

        JsonNode view = client.app(appId);

        assertThat(Json.fieldNames(view)).isEqualTo(ViewFields.APP_VIEW);
        assertThat(view.get("appId").stringValue()).isEqualTo(appId);
        JsonNode placement = view.get("placement");
        assertThat(Json.fieldNames(placement)).isEqualTo(ViewFields.APP_PLACEMENT);
        assertThat(placement.get("nodeId").longValue()).isEqualTo(node);
        assertThat(placement.get("nodeName").stringValue()).isEqualTo(nodeName);
        assertThat(placement.get("lastActiveAt").longValue()).isEqualTo(nowMs());
        assertThat(view.get("run")).isEqualTo(run);
        assertThat(view.get("placedNodeId").longValue()).isEqualTo(node);
        assertThat(view.get("redeployNeeded").booleanValue()).isFalse();
        assertThat(Json.isExplicitNull(view, "lastMove")).isTrue();
    }

    @Test
    void appViewOfAnAppWithOnlyAPlacementHasANullRun() {
        healthyNode("placement-only");
        String appId = TestIds.appId("placed-only");
        client.ensure(appId);

        JsonNode view = client.app(appId);

        assertThat(view.get("placement").isObject()).isTrue();
        assertThat(Json.isExplicitNull(view, "run")).isTrue();
    }

    @Test
    void appViewOfAnAppWithOnlyARunHasANullPlacement() {
        String appId = TestIds.appId("run-only");
        client.report(appId, Map.of("status", "FAILED", "error", "no node"));

        JsonNode view = client.app(appId);

        assertThat(Json.isExplicitNull(view, "placement")).isTrue();
        assertThat(Json.isExplicitNull(view, "placedNodeId")).isTrue();
        assertThat(view.get("run").get("lastJobStatus").stringValue()).isEqualTo("FAILED");
        assertThat(Json.isExplicitNull(view.get("run"), "nodeId")).isTrue();
    }

    @Test
    void appViewOfAnAppWithNeitherIs404AndCreatesNothing() {
        String appId = TestIds.appId("unknown-app");

        String message = client.asAdmin().get("/admin/apps/" + appId).error(404);

        assertThat(message).contains(appId);
        client.asRunner().get("/internal/placements/" + appId).error(404);
        client.asAdmin().get("/admin/apps/" + appId).error(404);
    }

    static Stream<String> invalidAppIdsInAPath() {
        return Stream.of("has%20space", "caf%C3%A9", "bang!", "a".repeat(129));
    }

    @ParameterizedTest
    @MethodSource("invalidAppIdsInAPath")
    void appViewWithAnInvalidAppIdIs400(String appId) {
        String message = client.asAdmin().get("/admin/apps/" + appId).error(400);

        assertThat(message).isEqualTo("appId must be 1-128 characters of A-Z a-z 0-9 . _ : -");
    }
}
