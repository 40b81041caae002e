package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.Concurrently;
import fun.ai.studio.deploy.support.Json;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.ViewFields;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static fun.ai.studio.deploy.support.DeployClient.ENSURE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy.runtime.placement.failover=auto} with the default grace period (twice the stale threshold of
 * 60 s: 120 s) and the default stale-fraction guard (0.5), through HTTP. The start-up hold is over: every test
 * starts a day after the context did.
 */
@TestPropertySource(properties = "deploy.runtime.placement.failover=auto")
class AutomaticFailoverApiTest extends InMemoryContractTest {

    private static final Duration GRACE = STALE_AFTER.multipliedBy(2);
    private static final Duration STEP = Duration.ofSeconds(20);

    private final List<String> names = new ArrayList<>();
    private final List<Long> ids = new ArrayList<>();

    @BeforeEach
    void fleetOfFourHealthyNodesAndNoOther() {
        // Nodes of earlier tests are stale and enabled; they would trip the stale-fraction guard.
        client.disableEveryNode();
        for (int i = 0; i < 4; i++) {
            names.add(TestIds.nodeName("fo-node"));
            ids.add(client.heartbeat(names.get(i)).get("nodeId").longValue());
        }
    }

    private String nameOf(long nodeId) {
        return names.get(ids.indexOf(nodeId));
    }

    /** Moves the clock on in steps shorter than the stale threshold, with only {@code alive} heartbeating. */
    private void advanceWithHeartbeatsFrom(Duration total, List<String> alive) {
        Duration done = Duration.ZERO;
        while (done.compareTo(total) < 0) {
            Duration step = total.minus(done).compareTo(STEP) < 0 ? total.minus(done) : STEP;
            clock.advance(step);
            done = done.plus(step);
            alive.forEach(client::heartbeat);
        }
    }

    private List<String> allBut(String silent) {
        return names.stream().filter(name -> !name.equals(silent)).toList();
    }

    private void assertMovedOff(JsonNode view, String appId, long from) {
        assertThat(Json.fieldNames(view)).isEqualTo(ViewFields.PLACEMENT_VIEW);
        assertThat(view.get("appId").stringValue()).isEqualTo(appId);
        assertThat(view.get("moved").booleanValue()).isTrue();
        assertThat(view.get("created").booleanValue()).isFalse();
        assertThat(view.get("previousNodeId").longValue()).isEqualTo(from);
        assertThat(view.get("nodeId").longValue()).isNotEqualTo(from).isIn(ids);
        assertThat(view.get("nodeName").stringValue()).isEqualTo(nameOf(view.get("nodeId").longValue()));
        assertThat(view.get("lastActiveAt").longValue()).isEqualTo(nowMs());
        JsonNode lastMove = client.app(appId).get("lastMove");
        assertThat(lastMove.get("fromNodeId").longValue()).isEqualTo(from);
        assertThat(lastMove.get("toNodeId").longValue()).isEqualTo(view.get("nodeId").longValue());
        assertThat(lastMove.get("reason").stringValue()).isEqualTo("failover");
    }

    private void assertStickyOn(String appId, long nodeId) {
        JsonNode again = client.ensure(appId);
        assertThat(again.get("nodeId").longValue()).isEqualTo(nodeId);
        assertThat(again.get("moved").booleanValue()).isFalse();
        assertThat(again.get("created").booleanValue()).isFalse();
        assertThat(Json.isExplicitNull(again, "previousNodeId")).isTrue();
        assertThat(client.placement(appId).get("nodeId").longValue()).isEqualTo(nodeId);
    }

    @Test
    void ensureMovesAnAppOffItsDisabledNodeAtOnceAndLaterCallsAreSticky() {
        String appId = TestIds.appId("fo-disabled");
        long from = client.ensure(appId).get("nodeId").longValue();
        client.setEnabled(nameOf(from), false);

        JsonNode moved = client.ensure(appId);

        assertMovedOff(moved, appId, from);
        long to = moved.get("nodeId").longValue();
        assertStickyOn(appId, to);
        assertThat(client.placements(from, 0, 10).get("total").longValue()).isZero();
        assertThat(Json.strings(client.placements(to, 0, 10).get("items"), "appId")).contains(appId);
    }

    @Test
    void ensureKeepsAnAppOnAStaleNodeUntilTheGracePeriodIsOverAndThenMovesIt() {
        String appId = TestIds.appId("fo-stale");
        JsonNode placed = client.ensure(appId);
        long from = placed.get("nodeId").longValue();
        String silent = nameOf(from);

        advanceWithHeartbeatsFrom(GRACE, allBut(silent));
        String message = client.asRunner().post(ENSURE, Map.of("appId", appId)).error(409);

        assertThat(message).contains(silent).contains("stale")
                .contains("automatic failover waits until the node's last heartbeat is more than 120 s old");
        assertThat(client.placement(appId).get("nodeId").longValue()).isEqualTo(from);
        assertThat(client.placement(appId).get("lastActiveAt")).isEqualTo(placed.get("lastActiveAt"));

        advanceWithHeartbeatsFrom(Duration.ofSeconds(1), allBut(silent));
        JsonNode moved = client.ensure(appId);

        assertMovedOff(moved, appId, from);
        long to = moved.get("nodeId").longValue();
        assertStickyOn(appId, to);
        // The lost node coming back does not take the app back: placements are sticky.
        client.heartbeat(silent);
        assertStickyOn(appId, to);
    }

    @Test
    void whileMoreThanHalfOfTheEnabledNodesAreStaleFailoverIsPausedWith409SayingSo() {
        String appId = TestIds.appId("fo-mass");
        JsonNode placed = client.ensure(appId);
        long from = placed.get("nodeId").longValue();
        String survivor = allBut(nameOf(from)).get(0);
        long countBefore = client.placements(from, 0, 1).get("total").longValue();

        advanceWithHeartbeatsFrom(GRACE.plusSeconds(1), List.of(survivor));
        String message = client.asRunner().post(ENSURE, Map.of("appId", appId)).error(409);

        assertThat(message).contains(nameOf(from))
                .contains("automatic failover is paused: 3 of 4 enabled nodes are stale");
        assertThat(client.placement(appId).get("nodeId").longValue()).isEqualTo(from);
        assertThat(client.placement(appId).get("lastActiveAt")).isEqualTo(placed.get("lastActiveAt"));
        assertThat(client.placements(from, 0, 1).get("total").longValue()).isEqualTo(countBefore);

        // Once the others report again only the app's own node is stale, and the app moves.
        allBut(nameOf(from)).forEach(client::heartbeat);
        assertMovedOff(client.ensure(appId), appId, from);
    }

    @Test
    void exactlyHalfOfTheEnabledNodesStaleDoesNotPauseFailover() {
        String appId = TestIds.appId("fo-half");
        long from = client.ensure(appId).get("nodeId").longValue();
        List<String> others = allBut(nameOf(from));

        advanceWithHeartbeatsFrom(GRACE.plusSeconds(1), others.subList(0, 2));

        assertMovedOff(client.ensure(appId), appId, from);
    }

    @Test
    void theStaleFractionGuardAlsoHoldsBackAppsOfADisabledNode() {
        String appId = TestIds.appId("fo-disabled-mass");
        long from = client.ensure(appId).get("nodeId").longValue();
        String survivor = allBut(nameOf(from)).get(0);
        advanceWithHeartbeatsFrom(GRACE.plusSeconds(1), List.of(survivor, nameOf(from)));
        client.setEnabled(nameOf(from), false);

        String message = client.asRunner().post(ENSURE, Map.of("appId", appId)).error(409);

        assertThat(message).contains(nameOf(from)).contains("disabled")
                .contains("automatic failover is paused: 2 of 3 enabled nodes are stale");
        assertThat(client.placement(appId).get("nodeId").longValue()).isEqualTo(from);
    }

    @Test
    void concurrentEnsuresOfAnAppOnALostNodeMoveItOnceAndAllAnswerTheNewNode() {
        String appId = TestIds.appId("fo-race");
        long from = client.ensure(appId).get("nodeId").longValue();
        client.setEnabled(nameOf(from), false);

        List<JsonNode> views = Concurrently.run(16, i -> client.ensure(appId));

        long to = views.get(0).get("nodeId").longValue();
        assertThat(to).isNotEqualTo(from);
        assertThat(views).extracting(v -> v.get("nodeId").longValue()).containsOnly(to);
        assertThat(views).filteredOn(v -> v.get("moved").booleanValue()).hasSize(1)
                .allSatisfy(v -> assertThat(v.get("previousNodeId").longValue()).isEqualTo(from));
        assertStickyOn(appId, to);
    }
}
