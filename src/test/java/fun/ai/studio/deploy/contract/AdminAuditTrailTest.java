package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.DeployClient.Reply;
import fun.ai.studio.deploy.support.Json;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpRequest.BodyPublishers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static fun.ai.studio.deploy.support.DeployClient.DRAIN;
import static fun.ai.studio.deploy.support.DeployClient.REASSIGN;
import static fun.ai.studio.deploy.support.DeployClient.SET_ENABLED;
import static fun.ai.studio.deploy.support.DeployClient.UPSERT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin audit trail with state in memory: one entry per authenticated admin mutation, whatever its outcome,
 * read newest first through {@code GET /admin/audit}; one INFO line per mutation in the log, and never a token
 * there; only the last 1000 entries kept.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminAuditTrailTest extends InMemoryContractTest {

    private static final String AUDIT = "/admin/audit";
    private static final Set<String> ENTRY_FIELDS = new TreeSet<>(Set.of("id", "at", "clientAddress", "action", "request",
            "status", "outcome"));
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private JsonNode page(String query) {
        JsonNode page = client.asAdmin().get(AUDIT + query).ok();
        assertThat(Json.fieldNames(page)).containsExactlyInAnyOrder("items", "nextBefore");
        return page;
    }

    /** The id of the newest entry, 0 when there is none. */
    private long newestId() {
        JsonNode items = page("?limit=1").get("items");
        return items.isEmpty() ? 0 : items.get(0).get("id").longValue();
    }

    /** Every entry newer than {@code afterId} (at most 500), oldest first. */
    private List<JsonNode> entriesAfter(long afterId) {
        List<JsonNode> newestFirst = new ArrayList<>();
        page("?limit=500").get("items").forEach(entry -> {
            if (entry.get("id").longValue() > afterId) {
                newestFirst.add(entry);
            }
        });
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    private static String upsertJson(String name, String agentBaseUrl) {
        return "{\"name\":\"" + name + "\",\"agentBaseUrl\":\"" + agentBaseUrl + "\",\"gatewayBaseUrl\":\"https://gw.example.com\"}";
    }

    private void assertEntry(JsonNode entry, String action, String request, int status, String outcome) {
        assertThat(Json.fieldNames(entry)).isEqualTo(ENTRY_FIELDS);
        assertThat(entry.get("action").stringValue()).isEqualTo(action);
        assertThat(entry.get("request").stringValue()).as("request of %s", entry).isEqualTo(request);
        assertThat(entry.get("status").intValue()).as("status of %s", entry).isEqualTo(status);
        assertThat(entry.get("outcome").stringValue()).as("outcome of %s", entry).isEqualTo(outcome);
        assertThat(entry.get("clientAddress").stringValue()).isEqualTo("127.0.0.1");
        assertThat(entry.get("at").longValue()).isEqualTo(nowMs());
    }

    /** The outcome of a success: {@code ok} and the data, as JSON. */
    private static void assertOkOutcome(JsonNode entry, JsonNode data) {
        String outcome = entry.get("outcome").stringValue();
        assertThat(outcome).startsWith("ok ");
        assertThat(MAPPER.readTree(outcome.substring(3))).isEqualTo(data);
    }

    @Test
    void everyAdminMutationRecordsOneEntryWithTimeClientActionRequestStatusAndOutcome() {
        long last = newestId();
        String name = TestIds.nodeName("audited");
        String unknown = TestIds.nodeName("audited-unknown");
        long source = client.heartbeat(TestIds.nodeName("audited-src")).get("nodeId").longValue();
        long target = client.heartbeat(TestIds.nodeName("audited-dst")).get("nodeId").longValue();
        String appId = TestIds.appId("audited");
        String upsert = upsertJson(name, "http://10.0.0.1:7005");
        String badUpsert = upsertJson(name, "ftp://10.0.0.1");
        String reassign = "{\"appId\":\"" + appId + "\",\"targetNodeId\":" + source + "}";
        String drain = "{\"sourceNodeId\":" + source + ",\"targetNodeId\":" + target + "}";
        String drainToItself = "{\"sourceNodeId\":" + source + ",\"targetNodeId\":" + source + "}";
        String drainUnknown = "{\"sourceNodeId\":987654321,\"targetNodeId\":" + target + "}";

        JsonNode upserted = client.asAdmin().post(UPSERT, upsert).ok();
        String badUpsertMessage = client.asAdmin().post(UPSERT, badUpsert).error(400);
        String wrongTypeMessage = client.asAdmin().send("POST", UPSERT, "text/plain", BodyPublishers.ofString(upsert)).error(415);
        JsonNode disabled = client.asAdmin().post(SET_ENABLED + "?name=" + name + "&enabled=false").ok();
        String unknownMessage = client.asAdmin().post(SET_ENABLED + "?name=" + unknown + "&enabled=true").error(404);
        JsonNode reassigned = client.asAdmin().post(REASSIGN, reassign).ok();
        long disabledId = upserted.get("nodeId").longValue();
        String toDisabled = "{\"appId\":\"" + appId + "\",\"targetNodeId\":" + disabledId + "}";
        String toDisabledMessage = client.asAdmin().post(REASSIGN, toDisabled).error(409);
        JsonNode drained = client.asAdmin().post(DRAIN, drain).ok();
        String drainToItselfMessage = client.asAdmin().post(DRAIN, drainToItself).error(400);
        String drainUnknownMessage = client.asAdmin().post(DRAIN, drainUnknown).error(404);

        List<JsonNode> entries = entriesAfter(last);
        assertThat(entries).hasSize(10);
        assertEntry(entries.get(0), "upsert", upsert, 200, entries.get(0).get("outcome").stringValue());
        assertOkOutcome(entries.get(0), upserted);
        assertEntry(entries.get(1), "upsert", badUpsert, 400, badUpsertMessage);
        assertEntry(entries.get(2), "upsert", upsert, 415, wrongTypeMessage);
        assertEntry(entries.get(3), "set-enabled", "?name=" + name + "&enabled=false", 200, "ok \"disabled\"");
        assertThat(disabled.stringValue()).isEqualTo("disabled");
        assertEntry(entries.get(4), "set-enabled", "?name=" + unknown + "&enabled=true", 404, unknownMessage);
        assertEntry(entries.get(5), "reassign", reassign, 200, "ok \"ok\"");
        assertThat(reassigned.stringValue()).isEqualTo("ok");
        assertEntry(entries.get(6), "reassign", toDisabled, 409, toDisabledMessage);
        assertEntry(entries.get(7), "drain", drain, 200, entries.get(7).get("outcome").stringValue());
        assertOkOutcome(entries.get(7), drained);
        assertEntry(entries.get(8), "drain", drainToItself, 400, drainToItselfMessage);
        assertEntry(entries.get(9), "drain", drainUnknown, 404, drainUnknownMessage);
        List<Long> ids = entries.stream().map(e -> e.get("id").longValue()).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();

        // The failed calls changed nothing.
        assertThat(client.hasNode(unknown)).isFalse();
        assertThat(client.node(name).get("agentBaseUrl").stringValue()).isEqualTo("http://10.0.0.1:7005");
        assertThat(client.placement(appId).get("nodeId").longValue()).isEqualTo(target);
        assertThat(drained.get("moved").intValue()).isEqualTo(1);
    }

    @Test
    void aMutationRefusedForItsBodySizeIsRecordedToo() {
        long last = newestId();
        String name = TestIds.nodeName("audited-large");
        String large = "{\"name\":\"" + name + "\",\"padding\":\"" + "x".repeat(70 * 1024) + "\"}";

        String message = client.asAdmin().post(UPSERT, large).error(413);

        List<JsonNode> entries = entriesAfter(last);
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).get("action").stringValue()).isEqualTo("upsert");
        assertThat(entries.get(0).get("status").intValue()).isEqualTo(413);
        assertThat(entries.get(0).get("outcome").stringValue()).isEqualTo(message);
        assertThat(entries.get(0).get("request").stringValue()).isEqualTo("(body of " + large.length() + " bytes, not read)");
        assertThat(client.hasNode(name)).isFalse();
    }

    @Test
    void aSetEnabledSentAsAnEmptyFormIsRecordedWithItsQueryOnce() {
        String name = TestIds.nodeName("audited-form");
        client.heartbeat(name);
        long last = newestId();

        JsonNode data = client.asAdmin().send("POST", SET_ENABLED + "?name=" + name + "&enabled=false",
                "application/x-www-form-urlencoded", BodyPublishers.noBody()).ok();

        assertThat(data.stringValue()).isEqualTo("disabled");
        List<JsonNode> entries = entriesAfter(last);
        assertThat(entries).hasSize(1);
        assertEntry(entries.get(0), "set-enabled", "?name=" + name + "&enabled=false", 200, "ok \"disabled\"");
    }

    @Test
    void unauthenticatedAndReadOnlyCallsAreNotRecorded() {
        String name = TestIds.nodeName("not-audited");
        client.heartbeat(name);
        long source = client.node(name).get("nodeId").longValue();
        long last = newestId();
        JsonNode nodesBefore = client.nodes();
        String wrong = "wrong-token-3a9f";

        assertThat(client.anonymous().post(UPSERT, upsertJson(name, "http://10.9.9.9:1")).error(401))
                .isEqualTo("missing X-Admin-Token header");
        assertThat(client.anonymous().header(DeployClient.ADMIN_HEADER, wrong)
                .post(SET_ENABLED + "?name=" + name + "&enabled=false").error(401)).isEqualTo("wrong X-Admin-Token");
        assertThat(client.asNode().post(REASSIGN, Map.of("appId", "not-audited", "targetNodeId", source)).error(401))
                .isEqualTo("missing X-Admin-Token header");
        assertThat(client.asRunner().header(DeployClient.ADMIN_HEADER, wrong)
                .post(DRAIN, Map.of("sourceNodeId", source, "targetNodeId", source + 1)).error(401)).isEqualTo("wrong X-Admin-Token");
        client.asAdmin().get(DeployClient.NODE_LIST).ok();
        client.asAdmin().get(DeployClient.PLACEMENTS + "?nodeId=" + source).ok();
        client.asAdmin().get(AUDIT).ok();
        client.asAdmin().get(SET_ENABLED + "?name=" + name + "&enabled=false").error(405);

        assertThat(newestId()).isEqualTo(last);
        assertThat(client.nodes()).isEqualTo(nodesBefore);
        assertThat(client.anonymous().get(AUDIT).error(401)).isEqualTo("missing X-Admin-Token header");
    }

    @Test
    void pagesGoNewestFirstAndNextBeforeContinuesWhereThePreviousPageEnded() {
        String name = TestIds.nodeName("paged-audit");
        client.heartbeat(name);
        for (int i = 0; i < 5; i++) {
            client.setEnabled(name, i % 2 == 0);
        }
        long newest = newestId();

        JsonNode first = page("?limit=2");
        JsonNode second = page("?limit=2&before=" + first.get("nextBefore").longValue());
        JsonNode third = page("?limit=2&before=" + second.get("nextBefore").longValue());

        assertThat(Json.longs(first.get("items"), "id")).containsExactly(newest, newest - 1);
        assertThat(first.get("nextBefore").longValue()).isEqualTo(newest - 1);
        assertThat(Json.longs(second.get("items"), "id")).containsExactly(newest - 2, newest - 3);
        assertThat(Json.longs(third.get("items"), "id")).containsExactly(newest - 4, newest - 5);
        assertThat(Json.strings(first.get("items"), "request"))
                .containsExactly("?name=" + name + "&enabled=true", "?name=" + name + "&enabled=false");
        JsonNode byDefault = page("");
        assertThat(byDefault.get("items").size()).isEqualTo((int) Math.min(50, newest));
        assertThat(byDefault.get("items").get(0).get("id").longValue()).isEqualTo(newest);
        JsonNode beyondTheOldest = page("?limit=500&before=1");
        assertThat(beyondTheOldest.get("items").isEmpty()).isTrue();
        assertThat(beyondTheOldest.get("nextBefore").isNull()).as("no page after the oldest entry").isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "?limit=0            | limit must be between 1 and 500",
            "?limit=501          | limit must be between 1 and 500",
            "?limit=-1           | limit must be between 1 and 500",
            "?limit=ten          | limit must be an integer",
            "?limit=1.5          | limit must be an integer",
            "?before=0           | before must be an audit entry id (1 or more)",
            "?before=-7          | before must be an audit entry id (1 or more)",
            "?before=latest      | before must be an integer",
            "?limit=5&before=x1  | before must be an integer"})
    void aLimitOutsideOneTo500OrABeforeThatIsNoEntryIdIs400AndChangesNothing(String query, String expected) {
        client.setEnabled(client.heartbeat(TestIds.nodeName("audit-query")).get("name").stringValue(), true);
        JsonNode before = page("?limit=500");

        assertThat(client.asAdmin().get(AUDIT + query.strip()).error(400)).isEqualTo(expected);

        assertThat(page("?limit=500")).isEqualTo(before);
        assertThat(page("?limit=1").get("items").size()).isEqualTo(1);
        assertThat(page("?limit=500").get("items").size()).isLessThanOrEqualTo(500);
    }

    @Test
    void theInMemoryTrailKeepsOnlyTheLast1000Entries() {
        String name = TestIds.nodeName("ring");
        client.heartbeat(name);
        long first = newestId() + 1;

        for (int i = 0; i < 1005; i++) {
            Reply reply = client.asAdmin().post(SET_ENABLED + "?name=" + name + "&enabled=" + (i % 2 == 0));
            assertThat(reply.status()).isEqualTo(200);
        }

        List<Long> ids = new ArrayList<>();
        JsonNode page = page("?limit=500");
        while (true) {
            ids.addAll(Json.longs(page.get("items"), "id"));
            if (page.get("nextBefore").isNull()) {
                break;
            }
            page = page("?limit=500&before=" + page.get("nextBefore").longValue());
        }
        long last = first + 1004;
        assertThat(ids).hasSize(1000);
        assertThat(ids.get(0)).isEqualTo(last);
        assertThat(ids.get(999)).as("the five oldest of the 1005 are gone").isEqualTo(first + 5);
        for (int i = 1; i < ids.size(); i++) {
            assertThat(ids.get(i)).isEqualTo(ids.get(i - 1) - 1);
        }
        assertThat(page("?before=" + (first + 5)).get("items").isEmpty()).isTrue();
    }

    @Test
    void eachMutationLogsOneInfoLineFromTheAuditServiceAndNoTokenEverReachesTheLog(CapturedOutput output) {
        String name = TestIds.nodeName("logged");
        String wrong = "wrong-token-8e21";
        long node = client.heartbeat(name).get("nodeId").longValue();
        client.ensure(TestIds.appId("logged"));
        int before = auditLines(output).size();

        client.asAdmin().post(UPSERT, upsertJson(name, "http://10.0.0.7:7005")).ok();
        client.asAdmin().post(SET_ENABLED + "?name=" + TestIds.nodeName("logged-unknown") + "&enabled=true").error(404);
        client.asAdmin().post(REASSIGN, Map.of("appId", "logged-app", "targetNodeId", 987654321)).error(404);
        client.asAdmin().post(DRAIN, Map.of("sourceNodeId", node, "targetNodeId", node)).error(400);
        client.anonymous().header(DeployClient.ADMIN_HEADER, wrong).post(UPSERT, upsertJson(name, "http://1.1.1.1:1")).error(401);
        client.anonymous().header(DeployClient.NODE_HEADER, wrong).post(DeployClient.HEARTBEAT,
                DeployClient.heartbeatBody(name)).error(401);
        client.anonymous().header(DeployClient.INTERNAL_HEADER, wrong).post(DeployClient.ENSURE, Map.of("appId", "x")).error(401);
        client.anonymous().header(DeployClient.ADMIN_HEADER, wrong).get("/actuator/prometheus").error(401);
        client.asAdmin().get("/actuator/prometheus");
        client.asAdmin().get(AUDIT).ok();

        List<String> lines = auditLines(output);
        List<String> added = lines.subList(before, lines.size());
        assertThat(added).hasSize(4);
        assertThat(added).allSatisfy(line -> assertThat(line).contains("INFO"));
        assertThat(added.get(0)).contains("admin upsert from 127.0.0.1").contains(name).contains("200");
        assertThat(added.get(1)).contains("admin set-enabled from 127.0.0.1").contains("404");
        assertThat(added.get(2)).contains("admin reassign from 127.0.0.1").contains("404");
        assertThat(added.get(3)).contains("admin drain from 127.0.0.1").contains("400");
        String everything = output.getAll();
        for (String secret : List.of(TestTokens.ADMIN, TestTokens.NODE, TestTokens.INTERNAL, wrong)) {
            assertThat(everything).as("the log").doesNotContain(secret);
        }
    }

    /** Lines the audit service logged, in plain or JSON format (other tests may switch the format). */
    private static List<String> auditLines(CapturedOutput output) {
        return output.getAll().lines().filter(line -> line.contains("AuditService") && line.contains("admin ")).toList();
    }
}
