package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.DeployClient.Reply;
import fun.ai.studio.deploy.support.Json;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.ViewFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static fun.ai.studio.deploy.support.DeployClient.APPS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The redeploy backlog: {@code GET /admin/apps?state=moved} and the app view's {@code placedNodeId},
 * {@code redeployNeeded} and {@code lastMove}. An app enters it when its placement moves and leaves it when the
 * Runner reports it SUCCEEDED on the node it moved to.
 */
class RedeployBacklogApiTest extends InMemoryContractTest {

    private long healthyNode(String prefix) {
        return client.heartbeat(TestIds.nodeName(prefix)).get("nodeId").longValue();
    }

    /**
     * The backlog's entries whose appId starts with the prefix (and is longer), read by walking pages of
     * {@code pageSize} from the prefix on.
     */
    private List<JsonNode> backlogOf(String prefix, int pageSize) {
        List<JsonNode> found = new ArrayList<>();
        String after = prefix;
        while (after != null) {
            JsonNode page = client.backlogAfter(after, pageSize);
            assertThat(Json.fieldNames(page)).isEqualTo(ViewFields.BACKLOG_PAGE);
            for (JsonNode item : page.get("items")) {
                if (item.get("appId").stringValue().startsWith(prefix)) {
                    found.add(item);
                }
            }
            after = page.get("nextAfterAppId").isNull() ? null : page.get("nextAfterAppId").stringValue();
        }
        return found;
    }

    private static Map<String, Object> pending(String appId, long from, long to, long movedAt, String reason) {
        return Map.of("appId", appId, "fromNodeId", from, "toNodeId", to, "movedAt", movedAt, "reason", reason);
    }

    private static Map<String, Object> asMap(JsonNode item) {
        assertThat(Json.fieldNames(item)).isEqualTo(ViewFields.PENDING_REDEPLOY);
        return Map.of("appId", item.get("appId").stringValue(), "fromNodeId", item.get("fromNodeId").longValue(),
                "toNodeId", item.get("toNodeId").longValue(), "movedAt", item.get("movedAt").longValue(),
                "reason", item.get("reason").stringValue());
    }

    @Test
    void reassignsAndDrainsListTheMovedAppsWithFromToWhenAndWhyAndFirstPlacementsDoNot() {
        long a = healthyNode("backlog-a");
        long b = healthyNode("backlog-b");
        long c = healthyNode("backlog-c");
        String p = TestIds.appId("backlog") + "-";
        client.reassign(p + "1", a);
        client.reassign(p + "2", a);
        client.reassign(p + "3", a);
        client.ensure(p + "4");
        assertThat(backlogOf(p, 100)).isEmpty();

        long reassignedAt = nowMs();
        client.reassign(p + "1", b);
        clock.advance(Duration.ofSeconds(3));
        client.drain(a, c, 10);

        assertThat(backlogOf(p, 100)).map(RedeployBacklogApiTest::asMap).containsExactly(
                pending(p + "1", a, b, reassignedAt, "reassign"),
                pending(p + "2", a, c, nowMs(), "drain"),
                pending(p + "3", a, c, nowMs(), "drain"));
        JsonNode view = client.app(p + "1");
        assertThat(Json.fieldNames(view)).isEqualTo(ViewFields.APP_VIEW);
        assertThat(view.get("placedNodeId").longValue()).isEqualTo(b);
        assertThat(view.get("redeployNeeded").booleanValue()).isTrue();
        assertThat(asMap(view.get("lastMove"))).isEqualTo(pending(p + "1", a, b, reassignedAt, "reassign"));
        JsonNode unmoved = client.app(p + "4");
        assertThat(unmoved.get("redeployNeeded").booleanValue()).isFalse();
        assertThat(Json.isExplicitNull(unmoved, "lastMove")).isTrue();
    }

    @Test
    void onlyASucceededReportTakesTheAppOffTheBacklog() {
        long a = healthyNode("redeploy-a");
        long b = healthyNode("redeploy-b");
        String prefix = TestIds.appId("redeploy");
        String appId = prefix + "-1";
        client.reassign(appId, a);
        client.report(appId, Map.of("jobId", "job-1", "status", "SUCCEEDED"));
        client.reassign(appId, b);

        for (String status : List.of("QUEUED", "RUNNING", "FAILED", "CANCELLED", "STOPPED")) {
            client.report(appId, Map.of("jobId", "job-2", "status", status));
            assertThat(client.app(appId).get("redeployNeeded").booleanValue()).as(status).isTrue();
        }
        client.report(appId, Map.of("jobId", "job-2", "status", "SUCCEEDED"));

        JsonNode view = client.app(appId);
        assertThat(view.get("redeployNeeded").booleanValue()).isFalse();
        assertThat(Json.isExplicitNull(view, "lastMove")).isTrue();
        assertThat(view.get("placedNodeId").longValue()).isEqualTo(b);
        assertThat(view.get("run").get("nodeId").longValue()).isEqualTo(b);
        assertThat(backlogOf(prefix, 10)).isEmpty();
    }

    @Test
    void aSecondMoveBeforeTheRedeployKeepsWhereTheAppLastRan() {
        long a = healthyNode("twice-a");
        long b = healthyNode("twice-b");
        long c = healthyNode("twice-c");
        String prefix = TestIds.appId("twice");
        String appId = prefix + "-1";
        client.reassign(appId, a);
        client.reassign(appId, b);
        clock.advance(Duration.ofSeconds(1));
        client.reassign(appId, c);

        assertThat(backlogOf(prefix, 10)).map(RedeployBacklogApiTest::asMap)
                .containsExactly(pending(appId, a, c, nowMs(), "reassign"));
    }

    @Test
    void keysetPagesWalkTheBacklogInAppIdOrderAndTheLastPageSaysSo() {
        long a = healthyNode("pages-a");
        long b = healthyNode("pages-b");
        String p = TestIds.appId("pages") + "-";
        List<String> appIds = List.of(p + "b", p + "A", p + "a", p + "9", p + "_", p + "Z");
        appIds.forEach(appId -> client.reassign(appId, a));
        client.drain(a, b, 100);

        List<String> walked = backlogOf(p, 2).stream().map(item -> item.get("appId").stringValue()).toList();

        assertThat(walked).isEqualTo(appIds.stream().sorted().toList());
        JsonNode first = client.backlogAfter(p, 2);
        assertThat(first.get("items")).hasSize(2);
        assertThat(first.get("nextAfterAppId").stringValue()).isEqualTo(first.get("items").get(1).get("appId").stringValue());
        assertThat(first.get("total").longValue()).isGreaterThanOrEqualTo(appIds.size());
    }

    @Test
    void theBacklogPageCarriesTheRevisionToWatchFrom() {
        Reply reply = client.asAdmin().get(APPS + "?state=moved");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.revision()).isNotNull();
        assertThat(Long.parseLong(reply.revision())).isNotNegative();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                          | state is required and must be 'moved'",
            "?state=                     | state is required and must be 'moved'",
            "?state=MOVED                | state is required and must be 'moved'",
            "?state=running              | state is required and must be 'moved'",
            "?state=moved&limit=0        | limit must be between 1 and 2000",
            "?state=moved&limit=2001     | limit must be between 1 and 2000",
            "?state=moved&limit=abc      | limit must be an integer",
            "?state=moved&afterAppId=a%20b | afterAppId must be 1-128 characters of A-Z a-z 0-9 . _ : -"})
    void aBadQueryIs400AndTheBacklogStaysAsItWas(String query, String expected) {
        long a = healthyNode("bad-backlog-a");
        long b = healthyNode("bad-backlog-b");
        String appId = TestIds.appId("bad-backlog");
        client.reassign(appId, a);
        client.reassign(appId, b);
        JsonNode before = client.backlogAfter(null, 2000);

        String message = client.asAdmin().get(APPS + query.strip()).error(400);

        assertThat(message).isEqualTo(expected);
        assertThat(client.backlogAfter(null, 2000)).isEqualTo(before);
    }

    @Test
    void theBacklogAnswersOnlyTheAdminToken() {
        assertThat(client.anonymous().get(APPS + "?state=moved").status()).isEqualTo(401);
        assertThat(client.asRunner().get(APPS + "?state=moved").status()).isEqualTo(401);
    }
}
