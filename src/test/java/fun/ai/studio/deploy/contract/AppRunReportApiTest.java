package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.apprun.AppRunRepository;
import fun.ai.studio.deploy.support.Json;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.ViewFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /internal/apps/{appId}/report}: the last-known run row and the placement refresh. */
class AppRunReportApiTest extends InMemoryContractTest {

    @Autowired
    AppRunRepository runs;

    private static final String STATUS_RULE = "status must be one of QUEUED RUNNING SUCCEEDED FAILED CANCELLED STOPPED PENDING (any case)";

    private static String reportPath(String appId) {
        return "/internal/apps/" + appId + "/report";
    }

    @Test
    void reportRecordsTheRunOnThePlacedNodeAndRefreshesThePlacement() {
        long node = client.heartbeat(TestIds.nodeName("runs-on")).get("nodeId").longValue();
        String appId = TestIds.appId("reported");
        client.ensure(appId);
        clock.advance(Duration.ofSeconds(3));

        JsonNode run = client.report(appId, Map.of("jobId", "job-42", "status", "running", "error", "pulling image"));

        assertThat(Json.fieldNames(run)).isEqualTo(ViewFields.APP_RUN_VIEW);
        assertThat(run.get("appId").stringValue()).isEqualTo(appId);
        assertThat(run.get("nodeId").longValue()).isEqualTo(node);
        assertThat(run.get("lastJobId").stringValue()).isEqualTo("job-42");
        assertThat(run.get("lastJobStatus").stringValue()).isEqualTo("RUNNING");
        assertThat(run.get("lastError").stringValue()).isEqualTo("pulling image");
        assertThat(Json.isExplicitNull(run, "lastDeployedAt")).isTrue();
        assertThat(run.get("lastActiveAt").longValue()).isEqualTo(nowMs());
        assertThat(client.placement(appId).get("lastActiveAt").longValue()).isEqualTo(nowMs());
        assertThat(client.app(appId).get("run")).isEqualTo(run);
    }

    @Test
    void reportOfAnAppWithoutPlacementRecordsANullNodeAndPlacesNothing() {
        String appId = TestIds.appId("unplaced-run");

        JsonNode run = client.report(appId, Map.of("status", "QUEUED"));

        assertThat(Json.isExplicitNull(run, "nodeId")).isTrue();
        assertThat(Json.isExplicitNull(run, "lastJobId")).isTrue();
        assertThat(run.get("lastActiveAt").longValue()).isEqualTo(nowMs());
        client.asRunner().get("/internal/placements/" + appId).error(404);
    }

    static Stream<String> statusSpellings() {
        return Stream.of("QUEUED", "queued", "Running", "SUCCEEDED", "succeeded", "fAiLeD", "cancelled",
                "CANCELLED", "stopped", "Stopped", "PENDING", "pending");
    }

    @ParameterizedTest
    @MethodSource("statusSpellings")
    void statusIsAcceptedInAnyCaseAndStoredInCapitals(String status) {
        String appId = TestIds.appId("status");

        JsonNode run = client.report(appId, Map.of("jobId", "j", "status", status));

        assertThat(run.get("lastJobStatus").stringValue()).isEqualTo(status.toUpperCase(java.util.Locale.ROOT));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"status\": \"DONE\"}          | " + STATUS_RULE,
            "{\"status\": \"\"}              | " + STATUS_RULE,
            "{\"status\": \" SUCCEEDED\"}    | " + STATUS_RULE,
            "{\"status\": \"SUCCEEDED!\"}    | " + STATUS_RULE,
            "{\"status\": 3}                 | status has the wrong type or format",
            "{\"jobId\": \"j\"}              | status is required; one of QUEUED RUNNING SUCCEEDED FAILED CANCELLED STOPPED PENDING",
            "{\"status\": null}              | status is required; one of QUEUED RUNNING SUCCEEDED FAILED CANCELLED STOPPED PENDING",
            "{\"status\": [\"FAILED\"]}      | status has the wrong type or format",
            "{\"status\": \"FAILED\", \"error\": {\"line\": 1}} | error has the wrong type or format"})
    void invalidReportIs400NamingTheFieldAndChangesNothing(String json, String expected) {
        String appId = TestIds.appId("refused-run");
        JsonNode before = client.report(appId, Map.of("jobId", "j-1", "status", "SUCCEEDED"));
        clock.advance(Duration.ofSeconds(1));

        String message = client.asRunner().post(reportPath(appId), json.strip()).error(400);

        assertThat(message).isEqualTo(expected);
        assertThat(client.app(appId).get("run")).isEqualTo(before);
    }

    @Test
    void reportWithAnInvalidAppIdIs400AndRecordsNothing() {
        String message = client.asRunner().post(reportPath("has%20space"), Map.of("status", "FAILED")).error(400);
        String tooLong = client.asRunner().post(reportPath("r".repeat(129)), Map.of("status", "FAILED")).error(400);

        assertThat(message).isEqualTo("appId must be 1-128 characters of A-Z a-z 0-9 . _ : -");
        assertThat(tooLong).isEqualTo(message);
        // Such ids cannot be looked up through the API, so the store itself is asked.
        assertThat(runs.find("has space")).isEmpty();
        assertThat(runs.find("r".repeat(129))).isEmpty();
    }

    @Test
    void lastDeployedAtIsSetOnlyOnSucceededAndKeptOtherwise() {
        String appId = TestIds.appId("deploys");
        JsonNode queued = client.report(appId, Map.of("status", "QUEUED"));
        assertThat(Json.isExplicitNull(queued, "lastDeployedAt")).isTrue();

        clock.advance(Duration.ofSeconds(10));
        long deployedAt = nowMs();
        JsonNode succeeded = client.report(appId, Map.of("jobId", "j1", "status", "SUCCEEDED"));
        assertThat(succeeded.get("lastDeployedAt").longValue()).isEqualTo(deployedAt);

        for (String status : new String[] {"RUNNING", "FAILED", "CANCELLED", "STOPPED", "QUEUED"}) {
            clock.advance(Duration.ofSeconds(10));
            JsonNode later = client.report(appId, Map.of("jobId", "j2", "status", status));
            assertThat(later.get("lastDeployedAt").longValue()).as(status).isEqualTo(deployedAt);
            assertThat(later.get("lastActiveAt").longValue()).as(status).isEqualTo(nowMs());
            assertThat(later.get("lastJobStatus").stringValue()).isEqualTo(status);
        }

        clock.advance(Duration.ofSeconds(10));
        assertThat(client.report(appId, Map.of("status", "succeeded")).get("lastDeployedAt").longValue()).isEqualTo(nowMs());
    }

    @Test
    void errorIsCutTo4000CharactersAndClearedWhenAbsent() {
        String appId = TestIds.appId("noisy");
        String error = "E".repeat(3990) + "0123456789ABCDEF";

        JsonNode cut = client.report(appId, Map.of("status", "FAILED", "error", error));
        assertThat(cut.get("lastError").stringValue()).isEqualTo(error.substring(0, 4000));

        String exactly = "x".repeat(4000);
        assertThat(client.report(appId, Map.of("status", "FAILED", "error", exactly)).get("lastError").stringValue())
                .isEqualTo(exactly);

        Map<String, Object> withoutError = new HashMap<>();
        withoutError.put("status", "RUNNING");
        JsonNode cleared = client.report(appId, withoutError);
        assertThat(Json.isExplicitNull(cleared, "lastError")).isTrue();
        assertThat(Json.isExplicitNull(client.app(appId).get("run"), "lastError")).isTrue();
    }

    @Test
    void errorCutAt4000CharactersNeverSplitsACharacter() {
        String appId = TestIds.appId("emoji");
        // Build tools print emoji; a cut between the two halves of one would leave invalid text behind.
        String error = "e".repeat(3999) + "\uD83D\uDE80" + " build failed";

        JsonNode run = client.report(appId, Map.of("status", "FAILED", "error", error));

        String stored = run.get("lastError").stringValue();
        // Compared by length and last character so a failure prints something readable.
        assertThat(stored).hasSize(3999).endsWith("e").matches("e+");
        assertThat(client.app(appId).get("run").get("lastError").stringValue()).isEqualTo(stored);

        String pairInside = "e".repeat(3998) + "\uD83D\uDE80" + " build failed";
        String kept = client.report(appId, Map.of("status", "FAILED", "error", pairInside)).get("lastError").stringValue();
        assertThat(kept).hasSize(4000).endsWith("\uD83D\uDE80");
    }

    @Test
    void jobIdIsOptionalAndReplacedByEachReport() {
        String appId = TestIds.appId("jobs");
        assertThat(client.report(appId, Map.of("jobId", "j-1", "status", "QUEUED")).get("lastJobId").stringValue())
                .isEqualTo("j-1");

        JsonNode withoutJob = client.report(appId, Map.of("status", "RUNNING"));

        assertThat(Json.isExplicitNull(withoutJob, "lastJobId")).isTrue();
    }

    @Test
    void reportFollowsThePlacementToItsCurrentNode() {
        long first = client.heartbeat(TestIds.nodeName("before-move")).get("nodeId").longValue();
        String appId = TestIds.appId("follows");
        client.ensure(appId);
        assertThat(client.report(appId, Map.of("status", "SUCCEEDED")).get("nodeId").longValue()).isEqualTo(first);
        long second = client.heartbeat(TestIds.nodeName("after-move")).get("nodeId").longValue();
        client.reassign(appId, second);

        assertThat(client.report(appId, Map.of("status", "QUEUED")).get("nodeId").longValue()).isEqualTo(second);
    }
}
