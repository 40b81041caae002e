package fun.ai.studio.deploy.fullstack;

import fun.ai.studio.deploy.support.Concurrently;
import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.Json;
import fun.ai.studio.deploy.support.MariaDbTestDatabase;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.ViewFields;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static fun.ai.studio.deploy.support.DeployClient.DRAIN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drains and keyset paging through HTTP on two application instances sharing one MariaDB schema, with the
 * default {@code hash} strategy and the real clock. Runs when {@code DEPLOY_TEST_MARIADB=true}.
 *
 * <p>Each test disables the nodes of earlier tests and works on fresh ones, so drains without a target choose
 * among this test's nodes only.
 */
@EnabledIfEnvironmentVariable(named = MariaDbTestDatabase.ENABLED_VARIABLE, matches = "true")
class PlacementEngineOnMariaDbTest extends TwoInstancesOnMariaDb {

    private long source;
    private List<Long> placeable;

    @BeforeEach
    void freshSourceAndThreePlaceableNodes() {
        first.client().disableEveryNode();
        source = first.client().heartbeat(TestIds.nodeName("db-source")).get("nodeId").longValue();
        placeable = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            placeable.add(instance(i).heartbeat(TestIds.nodeName("db-target")).get("nodeId").longValue());
        }
    }

    private DeployClient instance(int i) {
        return (i % 2 == 0 ? first : second).client();
    }

    /** Places {@code count} apps on the node through both instances; returns them in code-point order. */
    private List<String> placeOn(long nodeId, String prefix, int count) {
        List<String> apps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String appId = TestIds.appId(prefix);
            instance(i).reassign(appId, nodeId);
            apps.add(appId);
        }
        return apps.stream().sorted().toList();
    }

    private long hashChoice(String appId) {
        return placeable.get(Math.floorMod(appId.hashCode(), placeable.size()));
    }

    private static Map<String, Object> drainBody(long source, Long target, Integer limit, boolean dryRun) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sourceNodeId", source);
        if (target != null) {
            body.put("targetNodeId", target);
        }
        if (limit != null) {
            body.put("limit", limit);
        }
        if (dryRun) {
            body.put("dryRun", true);
        }
        return body;
    }

    private static Map<Long, Integer> counts(JsonNode byTarget) {
        Map<Long, Integer> counts = new TreeMap<>();
        byTarget.properties().forEach(e -> counts.put(Long.parseLong(e.getKey()), e.getValue().intValue()));
        return counts;
    }

    private long total(long nodeId) {
        return second.client().placements(nodeId, 0, 1).get("total").longValue();
    }

    private List<Long> allNodes() {
        List<Long> all = new ArrayList<>(placeable);
        all.add(source);
        return all;
    }

    /** What a caller can observe of the apps and nodes, read through the second instance. */
    private Map<String, JsonNode> observe(List<String> apps) {
        Map<String, JsonNode> seen = new LinkedHashMap<>();
        apps.forEach(appId -> seen.put(appId, second.client().placement(appId)));
        allNodes().forEach(node -> seen.put("node " + node, second.client().placements(node, 0, 2000)));
        return seen;
    }

    @Test
    void dryRunsOnEitherInstancePlanTheSameMovesAndChangeNothing() {
        List<String> apps = placeOn(source, "db-dry", 30);
        Map<String, JsonNode> before = observe(apps);

        JsonNode onFirst = first.client().drain(drainBody(source, null, 20, true));
        JsonNode onSecond = second.client().drain(drainBody(source, null, 20, true));
        JsonNode withTarget = first.client().drain(drainBody(source, placeable.get(2), 5, true));

        assertThat(Json.fieldNames(onFirst)).isEqualTo(ViewFields.DRAIN_RESULT);
        assertThat(onSecond).isEqualTo(onFirst);
        assertThat(onFirst.get("dryRun").booleanValue()).isTrue();
        assertThat(onFirst.get("moved").intValue()).isZero();
        assertThat(onFirst.get("remaining").longValue()).isEqualTo(30);
        assertThat(Json.strings(onFirst.get("plan"), "appId")).isEqualTo(apps.subList(0, 20));
        Map<Long, Integer> planned = new TreeMap<>();
        onFirst.get("plan").forEach(move -> {
            assertThat(move.get("fromNodeId").longValue()).isEqualTo(source);
            assertThat(move.get("toNodeId").longValue()).isEqualTo(hashChoice(move.get("appId").stringValue()));
            planned.merge(move.get("toNodeId").longValue(), 1, Integer::sum);
        });
        assertThat(counts(onFirst.get("plannedByTarget"))).isEqualTo(planned);
        assertThat(counts(withTarget.get("plannedByTarget"))).isEqualTo(Map.of(placeable.get(2), 5));
        assertThat(observe(apps)).isEqualTo(before);
        assertThat(total(source)).isEqualTo(30);
    }

    @Test
    void drainWithTargetMovesAtMostLimitInAppIdOrderAndTheOtherInstanceContinues() {
        List<String> apps = placeOn(source, "db-target", 25);
        long target = placeable.get(0);

        JsonNode a = first.client().drain(drainBody(source, target, 10, false));
        List<String> leftAfterFirst = second.client().allAppIdsOn(source);
        JsonNode b = second.client().drain(drainBody(source, target, 10, false));
        JsonNode c = first.client().drain(drainBody(source, target, 10, false));
        JsonNode d = second.client().drain(drainBody(source, target, 10, false));

        assertThat(leftAfterFirst).isEqualTo(apps.subList(10, 25));
        assertThat(List.of(a, b, c, d)).extracting(r -> r.get("moved").intValue()).containsExactly(10, 10, 5, 0);
        assertThat(List.of(a, b, c, d)).extracting(r -> r.get("remaining").longValue()).containsExactly(15L, 5L, 0L, 0L);
        assertThat(counts(a.get("movedByTarget"))).isEqualTo(Map.of(target, 10));
        assertThat(d.get("movedByTarget").isEmpty()).isTrue();
        assertThat(first.client().allAppIdsOn(target)).isEqualTo(apps);
        apps.forEach(appId -> assertThat(second.client().placement(appId).get("nodeId").longValue()).isEqualTo(target));
    }

    @Test
    void drainWithoutTargetRePlacesByTheStrategyNeverToTheSourceADisabledOrANeverHeardFromNode() {
        String disabledName = TestIds.nodeName("db-disabled");
        long disabled = first.client().heartbeat(disabledName).get("nodeId").longValue();
        first.client().setEnabled(disabledName, false);
        long silent = first.client().upsert(Map.of("name", TestIds.nodeName("db-never-heartbeat"),
                "agentBaseUrl", "http://10.0.0.9:7005", "gatewayBaseUrl", "http://10.0.0.9:8080")).get("nodeId").longValue();
        List<String> apps = placeOn(source, "db-spread", 40);

        JsonNode limited = second.client().drain(drainBody(source, null, 15, false));
        JsonNode rest = first.client().drain(drainBody(source, null, null, false));

        assertThat(limited.get("moved").intValue()).isEqualTo(15);
        assertThat(limited.get("remaining").longValue()).isEqualTo(25);
        assertThat(Json.isExplicitNull(limited, "targetNodeId")).isTrue();
        assertThat(rest.get("moved").intValue()).isEqualTo(25);
        assertThat(rest.get("remaining").longValue()).isZero();
        Map<Long, Integer> movedByTarget = new TreeMap<>(counts(limited.get("movedByTarget")));
        counts(rest.get("movedByTarget")).forEach((node, n) -> movedByTarget.merge(node, n, Integer::sum));
        assertThat(movedByTarget.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(40);
        assertThat(placeable).containsAll(movedByTarget.keySet());
        Map<Long, Integer> landed = new TreeMap<>();
        for (String appId : apps) {
            long node = second.client().placement(appId).get("nodeId").longValue();
            assertThat(node).as("node of %s", appId).isEqualTo(hashChoice(appId));
            landed.merge(node, 1, Integer::sum);
        }
        assertThat(landed).isEqualTo(movedByTarget);
        for (long node : List.of(source, disabled, silent)) {
            assertThat(total(node)).as("apps on node %d", node).isZero();
        }
    }

    @Test
    void drainWithoutTargetAndNoOtherPlaceableNodeIs503OnBothInstancesAndMovesNothing() {
        List<String> apps = placeOn(source, "db-stranded", 4);
        for (JsonNode node : first.client().nodes()) {
            if (placeable.contains(node.get("nodeId").longValue())) {
                second.client().setEnabled(node.get("name").stringValue(), false);
            }
        }
        Map<String, JsonNode> before = observe(apps);

        String onFirst = first.client().asAdmin().post(DRAIN, drainBody(source, null, null, false)).error(503);
        String onSecond = second.client().asAdmin().post(DRAIN, drainBody(source, null, 10, true)).error(503);

        assertThat(onFirst).isEqualTo("no placeable runtime node other than node " + source + " to drain to");
        assertThat(onSecond).isEqualTo(onFirst);
        assertThat(observe(apps)).isEqualTo(before);
    }

    @Test
    void concurrentDrainsOfOneSourceFromBothInstancesNeverMoveAnAppTwiceNorLoseOne() {
        int initial = 400;
        List<String> apps = placeOn(source, "db-race", initial);
        Map<Long, Integer> movedSoFar = new TreeMap<>();
        int movedTotal = 0;
        int rounds = 0;
        long remaining = initial;

        while (remaining > 0) {
            assertThat(++rounds).as("rounds of concurrent drains to empty the source").isLessThanOrEqualTo(10);
            // Six of every eight calls re-place by the strategy, two name the first placeable node as target.
            List<JsonNode> results = Concurrently.run(8, i -> instance(i).drain(
                    drainBody(source, i % 4 == 3 ? placeable.get(0) : null, 50, false)));

            for (JsonNode result : results) {
                Map<Long, Integer> byTarget = counts(result.get("movedByTarget"));
                assertThat(byTarget.values().stream().mapToInt(Integer::intValue).sum())
                        .isEqualTo(result.get("moved").intValue());
                assertThat(placeable).containsAll(byTarget.keySet());
                byTarget.forEach((node, n) -> movedSoFar.merge(node, n, Integer::sum));
                movedTotal += result.get("moved").intValue();
            }
            remaining = total(source);
            assertThat(movedTotal + remaining).as("moved + remaining after round %d", rounds).isEqualTo(initial);
            for (long node : placeable) {
                assertThat(total(node)).as("apps on node %d after round %d", node, rounds)
                        .isEqualTo(movedSoFar.getOrDefault(node, 0).longValue());
            }
        }

        Map<String, Long> nodeOf = new HashMap<>();
        for (long node : allNodes()) {
            for (String appId : first.client().allAppIdsOn(node)) {
                assertThat(nodeOf.put(appId, node)).as("%s listed on a second node", appId).isNull();
            }
        }
        assertThat(nodeOf.keySet()).containsExactlyInAnyOrderElementsOf(apps);
        assertThat(nodeOf).doesNotContainValue(source);
        for (String appId : apps) {
            assertThat(second.client().placement(appId).get("nodeId").longValue()).isEqualTo(nodeOf.get(appId));
        }
        assertThat(movedTotal).isEqualTo(initial);
    }

    @Test
    void keysetPagesOnMariaDbFollowCodePointOrderOnBothInstances() {
        long node = placeable.get(0);
        String p = TestIds.appId("db-order") + "_";
        // Inserted shuffled; code-point order: - . 9 : A App1 B _ a app1 (App1 and app1 are two apps).
        List.of(p + "a", p + "B", p + "app1", p + "_x", p + "9", p + "A", p + ".d", p + "App1", p + ":z", p + "-x")
                .forEach(appId -> first.client().reassign(appId, node));
        List<String> expected = List.of(p + "-x", p + ".d", p + "9", p + ":z", p + "A", p + "App1", p + "B",
                p + "_x", p + "a", p + "app1");

        List<String> walked = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            JsonNode page = instance(pages++).placementsAfter(node, after, 3);
            walked.addAll(Json.strings(page.get("items"), "appId"));
            assertThat(page.get("total").longValue()).isEqualTo(10);
            after = page.get("nextAfterAppId").isNull() ? null : page.get("nextAfterAppId").stringValue();
        } while (after != null);

        assertThat(walked).isEqualTo(expected);
        assertThat(pages).isEqualTo(4);
        assertThat(Json.strings(second.client().placementsAfter(node, p + "App1", 2).get("items"), "appId"))
                .containsExactly(p + "B", p + "_x");
        assertThat(Json.strings(first.client().placementsAfter(node, p + "Ab", 2).get("items"), "appId"))
                .containsExactly(p + "App1", p + "B");
        assertThat(Json.strings(first.client().placements(node, 0, 10).get("items"), "appId")).isEqualTo(expected);
    }

    @Test
    void keysetPagesOnMariaDbEqualOffsetPagesAndTheFullLastPageHasNoNext() {
        long node = placeable.get(1);
        List<String> apps = placeOn(node, "db-keyset", 200);

        List<String> byKeyset = new ArrayList<>();
        List<String> byOffset = new ArrayList<>();
        List<JsonNode> nexts = new ArrayList<>();
        String after = null;
        for (int offset = 0; offset < 200; offset += 100) {
            JsonNode keysetPage = instance(offset / 100).placementsAfter(node, after, 100);
            byKeyset.addAll(Json.strings(keysetPage.get("items"), "appId"));
            byOffset.addAll(Json.strings(instance(offset / 100 + 1).placements(node, offset, 100).get("items"), "appId"));
            nexts.add(keysetPage.get("nextAfterAppId"));
            after = keysetPage.get("nextAfterAppId").isNull() ? null : keysetPage.get("nextAfterAppId").stringValue();
        }

        assertThat(byKeyset).isEqualTo(apps);
        assertThat(byOffset).isEqualTo(apps);
        assertThat(nexts.get(0).stringValue()).isEqualTo(apps.get(99));
        assertThat(nexts.get(1).isNull()).isTrue();
    }
}
