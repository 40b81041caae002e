package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.Json;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.ViewFields;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static fun.ai.studio.deploy.support.DeployClient.DRAIN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drains without a target (each app re-placed by the strategy, here the default {@code hash}) and dry runs,
 * through HTTP. The fleet of each test: a source, three placeable nodes, a disabled node and a stale one.
 */
class DrainByStrategyApiTest extends InMemoryContractTest {

    private static final Set<String> PLANNED_MOVE_FIELDS = new TreeSet<>(Set.of("appId", "fromNodeId", "toNodeId"));

    private long source;
    private String sourceName;
    private List<Long> placeable;
    private List<String> placeableNames;
    private long disabled;
    private long stale;

    @BeforeEach
    void fleetOfSourcePlaceableDisabledAndStaleNodes() {
        stale = client.heartbeat(TestIds.nodeName("drain-stale")).get("nodeId").longValue();
        clock.advance(STALE_AFTER.plusSeconds(1));
        sourceName = TestIds.nodeName("drain-source");
        source = client.heartbeat(sourceName).get("nodeId").longValue();
        placeable = new ArrayList<>();
        placeableNames = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            placeableNames.add(TestIds.nodeName("drain-target"));
            placeable.add(client.heartbeat(placeableNames.get(i)).get("nodeId").longValue());
        }
        String disabledName = TestIds.nodeName("drain-disabled");
        disabled = client.heartbeat(disabledName).get("nodeId").longValue();
        client.setEnabled(disabledName, false);
    }

    /** Places {@code count} apps on the node; returns them in code-point order. */
    private List<String> placeOn(long nodeId, String prefix, int count) {
        List<String> apps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String appId = TestIds.appId(prefix);
            client.reassign(appId, nodeId);
            apps.add(appId);
        }
        return apps.stream().sorted().toList();
    }

    /** Where the documented {@code hash} rule sends the app among the placeable nodes other than the source. */
    private long hashChoice(String appId) {
        return placeable.get(Math.floorMod(appId.hashCode(), placeable.size()));
    }

    private static Map<String, Object> noTarget(long source, Integer limit, boolean dryRun) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sourceNodeId", source);
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

    private static int sum(Map<Long, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Everything a caller can observe about where the apps are: each app's view and each node's count. */
    private Map<String, JsonNode> observe(List<String> apps) {
        Map<String, JsonNode> seen = new LinkedHashMap<>();
        apps.forEach(appId -> seen.put(appId, client.placement(appId)));
        for (long node : allNodes()) {
            seen.put("node " + node, client.placements(node, 0, 2000));
        }
        client.nodes().forEach(n -> seen.put("count of " + n.get("nodeId"), n.get("placementCount")));
        return seen;
    }

    private List<Long> allNodes() {
        List<Long> all = new ArrayList<>(List.of(source, disabled, stale));
        all.addAll(placeable);
        return all;
    }

    @Test
    void dryRunWithoutTargetReturnsThePlanAndPlannedCountsAndChangesNothing() {
        List<String> apps = placeOn(source, "dry", 30);
        placeOn(placeable.get(0), "bystander", 2);
        Map<String, JsonNode> before = observe(apps);

        JsonNode dry = client.drain(noTarget(source, 20, true));

        assertThat(Json.fieldNames(dry)).isEqualTo(ViewFields.DRAIN_RESULT);
        assertThat(dry.get("dryRun").booleanValue()).isTrue();
        assertThat(dry.get("moved").intValue()).isZero();
        assertThat(dry.get("movedByTarget").isObject() && dry.get("movedByTarget").isEmpty()).isTrue();
        assertThat(dry.get("remaining").longValue()).isEqualTo(30);
        assertThat(dry.get("sourceNodeId").longValue()).isEqualTo(source);
        assertThat(Json.isExplicitNull(dry, "targetNodeId")).isTrue();
        JsonNode plan = dry.get("plan");
        assertThat(Json.strings(plan, "appId")).isEqualTo(apps.subList(0, 20));
        Map<Long, Integer> plannedFromPlan = new TreeMap<>();
        plan.forEach(move -> {
            assertThat(Json.fieldNames(move)).isEqualTo(PLANNED_MOVE_FIELDS);
            assertThat(move.get("fromNodeId").longValue()).isEqualTo(source);
            assertThat(move.get("toNodeId").longValue()).as("planned target of %s", move.get("appId"))
                    .isEqualTo(hashChoice(move.get("appId").stringValue()));
            plannedFromPlan.merge(move.get("toNodeId").longValue(), 1, Integer::sum);
        });
        assertThat(counts(dry.get("plannedByTarget"))).isEqualTo(plannedFromPlan);
        assertThat(sum(plannedFromPlan)).isEqualTo(20);
        assertThat(observe(apps)).isEqualTo(before);
    }

    @Test
    void dryRunWithTargetPlansEveryAppToTheTargetAndChangesNothing() {
        List<String> apps = placeOn(source, "dry-target", 7);
        long target = placeable.get(1);
        Map<String, JsonNode> before = observe(apps);

        JsonNode dry = client.drain(Map.of("sourceNodeId", source, "targetNodeId", target, "limit", 5, "dryRun", true));

        assertThat(dry.get("dryRun").booleanValue()).isTrue();
        assertThat(dry.get("moved").intValue()).isZero();
        assertThat(dry.get("targetNodeId").longValue()).isEqualTo(target);
        assertThat(dry.get("remaining").longValue()).isEqualTo(7);
        assertThat(Json.strings(dry.get("plan"), "appId")).isEqualTo(apps.subList(0, 5));
        assertThat(Json.longs(dry.get("plan"), "toNodeId")).containsOnly(target);
        assertThat(counts(dry.get("plannedByTarget"))).isEqualTo(Map.of(target, 5));
        assertThat(observe(apps)).isEqualTo(before);
    }

    @Test
    void dryRunToADisabledTargetIs409LikeTheDrainAndChangesNothing() {
        List<String> apps = placeOn(source, "dry-409", 3);
        Map<String, JsonNode> before = observe(apps);

        String message = client.asAdmin().post(DRAIN, Map.of("sourceNodeId", source, "targetNodeId", disabled,
                "dryRun", true)).error(409);

        assertThat(message).contains("targetNodeId " + disabled).contains("disabled");
        assertThat(observe(apps)).isEqualTo(before);
    }

    @Test
    void drainAfterADryRunMovesTheAppsAsPlannedWhileTheFleetIsUnchanged() {
        List<String> apps = placeOn(source, "as-planned", 24);
        JsonNode dry = client.drain(noTarget(source, 16, true));

        JsonNode real = client.drain(noTarget(source, 16, false));

        assertThat(real.get("dryRun").booleanValue()).isFalse();
        assertThat(real.get("moved").intValue()).isEqualTo(16);
        assertThat(counts(real.get("movedByTarget"))).isEqualTo(counts(dry.get("plannedByTarget")));
        dry.get("plan").forEach(move -> assertThat(client.placement(move.get("appId").stringValue()).get("nodeId"))
                .isEqualTo(move.get("toNodeId")));
        apps.subList(16, 24).forEach(appId -> assertThat(client.placement(appId).get("nodeId").longValue()).isEqualTo(source));
    }

    @Test
    void drainWithoutTargetRePlacesEachAppByTheStrategyAmongPlaceableNodesOtherThanTheSource() {
        List<String> apps = placeOn(source, "spread", 40);
        Map<Long, Long> before = new HashMap<>();
        for (long node : placeable) {
            before.put(node, client.placements(node, 0, 1).get("total").longValue());
        }

        JsonNode result = client.drain(noTarget(source, null, false));

        assertThat(Json.fieldNames(result)).isEqualTo(ViewFields.DRAIN_RESULT);
        assertThat(result.get("moved").intValue()).isEqualTo(40);
        assertThat(result.get("remaining").longValue()).isZero();
        assertThat(result.get("dryRun").booleanValue()).isFalse();
        assertThat(Json.isExplicitNull(result, "targetNodeId")).isTrue();
        assertThat(Json.isExplicitNull(result, "plan")).isTrue();
        assertThat(Json.isExplicitNull(result, "plannedByTarget")).isTrue();
        Map<Long, Integer> movedByTarget = counts(result.get("movedByTarget"));
        assertThat(sum(movedByTarget)).isEqualTo(result.get("moved").intValue());
        assertThat(placeable).containsAll(movedByTarget.keySet());
        Map<Long, Integer> landed = new TreeMap<>();
        for (String appId : apps) {
            long node = client.placement(appId).get("nodeId").longValue();
            assertThat(node).as("node of %s", appId).isEqualTo(hashChoice(appId));
            landed.merge(node, 1, Integer::sum);
        }
        assertThat(landed).isEqualTo(movedByTarget);
        for (long node : placeable) {
            assertThat(client.placements(node, 0, 1).get("total").longValue())
                    .isEqualTo(before.get(node) + movedByTarget.getOrDefault(node, 0));
        }
        for (long node : List.of(source, disabled, stale)) {
            assertThat(client.placements(node, 0, 1).get("total").longValue()).as("apps on node %d", node).isZero();
        }
    }

    @Test
    void drainWithoutTargetMovesAtMostLimitInAppIdOrderUntilNothingRemains() {
        List<String> apps = placeOn(source, "limited", 25);

        JsonNode first = client.drain(noTarget(source, 10, false));

        assertThat(first.get("moved").intValue()).isEqualTo(10);
        assertThat(first.get("remaining").longValue()).isEqualTo(15);
        assertThat(sum(counts(first.get("movedByTarget")))).isEqualTo(10);
        assertThat(client.allAppIdsOn(source)).isEqualTo(apps.subList(10, 25));
        JsonNode second = client.drain(noTarget(source, 10, false));
        JsonNode third = client.drain(noTarget(source, 10, false));
        JsonNode done = client.drain(noTarget(source, 10, false));
        assertThat(List.of(second.get("moved").intValue(), third.get("moved").intValue(), done.get("moved").intValue()))
                .containsExactly(10, 5, 0);
        assertThat(List.of(second.get("remaining").longValue(), third.get("remaining").longValue(),
                done.get("remaining").longValue())).containsExactly(5L, 0L, 0L);
        assertThat(done.get("movedByTarget").isEmpty()).isTrue();
        List<String> onTargets = new ArrayList<>();
        placeable.forEach(node -> onTargets.addAll(client.allAppIdsOn(node)));
        assertThat(new TreeSet<>(onTargets)).containsExactlyElementsOf(apps);
        assertThat(onTargets).hasSize(25);
    }

    @Test
    void drainWithoutTargetWhenNoOtherNodeIsPlaceableIs503AndMovesNothing() {
        List<String> apps = placeOn(source, "stranded", 3);
        placeableNames.forEach(name -> client.setEnabled(name, false));
        Map<String, JsonNode> before = observe(apps);

        String message = client.asAdmin().post(DRAIN, noTarget(source, null, false)).error(503);
        String dryMessage = client.asAdmin().post(DRAIN, noTarget(source, null, true)).error(503);

        assertThat(message).isEqualTo("no placeable runtime node other than node " + source + " to drain to");
        assertThat(dryMessage).isEqualTo(message);
        assertThat(observe(apps)).isEqualTo(before);
        assertThat(client.placements(source, 0, 10).get("total").longValue()).isEqualTo(3);
    }

    @Test
    void drainWithoutTargetFromADisabledSourceMovesItsAppsToPlaceableNodes() {
        List<String> apps = placeOn(source, "evacuated", 6);
        client.setEnabled(sourceName, false);

        JsonNode result = client.drain(noTarget(source, null, false));

        assertThat(result.get("moved").intValue()).isEqualTo(6);
        assertThat(result.get("remaining").longValue()).isZero();
        apps.forEach(appId -> assertThat(client.placement(appId).get("nodeId").longValue()).isEqualTo(hashChoice(appId)));
    }
}
