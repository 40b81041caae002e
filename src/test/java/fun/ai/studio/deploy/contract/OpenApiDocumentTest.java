package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.DeployClient.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document at {@code /v3/api-docs}, open to anyone: every endpoint of the wire contract plus the
 * audit trail and node tokens, each with the token header its group requires, a request example when it takes a body, an
 * example of its 200 envelope, and the error statuses it can answer; and the Swagger UI that renders it.
 */
class OpenApiDocumentTest extends InMemoryContractTest {

    /** One operation as the contract describes it. */
    record Op(String method, String path, String header, boolean body, Set<Integer> errors) {

        String key() {
            return method + " " + path;
        }

        @Override
        public String toString() {
            return key();
        }
    }

    private static final Set<Integer> ADMIN_BODY = Set.of(400, 401, 403, 404, 413, 415, 503);
    private static final Set<Integer> MOVES = Set.of(400, 401, 403, 404, 409, 413, 415, 503);
    private static final Set<Integer> READS = Set.of(400, 401, 403, 404, 503);
    private static final Set<Integer> CHANGES = Set.of(400, 401, 403, 404, 410, 503);

    static Stream<Op> contractOperations() {
        return Stream.of(
                new Op("POST", "/internal/runtime-nodes/heartbeat", "X-RT-Node-Token", true, ADMIN_BODY),
                new Op("GET", "/admin/runtime-nodes/list", "X-Admin-Token", false, READS),
                new Op("POST", "/admin/runtime-nodes/upsert", "X-Admin-Token", true, ADMIN_BODY),
                new Op("POST", "/admin/runtime-nodes/set-enabled", "X-Admin-Token", false, READS),
                new Op("GET", "/admin/runtime-nodes/token", "X-Admin-Token", false, Set.of(400, 401, 403, 404, 409)),
                new Op("GET", "/admin/runtime-nodes/placements", "X-Admin-Token", false, READS),
                new Op("POST", "/admin/runtime-nodes/reassign", "X-Admin-Token", true, MOVES),
                new Op("POST", "/admin/runtime-nodes/drain", "X-Admin-Token", true, MOVES),
                new Op("GET", "/admin/apps", "X-Admin-Token", false, READS),
                new Op("GET", "/admin/apps/{appId}", "X-Admin-Token", false, READS),
                new Op("GET", "/admin/audit", "X-Admin-Token", false, READS),
                new Op("GET", "/admin/changes", "X-Admin-Token", false, CHANGES),
                new Op("POST", "/internal/placements/ensure", "X-Deploy-Secret", true, MOVES),
                new Op("GET", "/internal/placements/{appId}", "X-Deploy-Secret", false, READS),
                new Op("POST", "/internal/apps/{appId}/report", "X-Deploy-Secret", true, ADMIN_BODY),
                new Op("GET", "/internal/changes", "X-Deploy-Secret", false, CHANGES),
                new Op("GET", "/internal/health", null, false, Set.of()));
    }

    private JsonNode document;

    @BeforeEach
    void readTheDocumentWithoutAToken() {
        Reply reply = client.anonymous().get("/v3/api-docs");
        assertThat(reply.status()).as("GET /v3/api-docs: %s", reply.body()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        document = reply.json();
    }

    private JsonNode operation(Op op) {
        JsonNode operation = document.path("paths").path(op.path()).path(op.method().toLowerCase(Locale.ROOT));
        assertThat(operation.isObject()).as("%s in the document", op).isTrue();
        return operation;
    }

    @Test
    void theDocumentListsEveryEndpointOfTheContractPlusTheAuditTrailNodeTokensAndTheChangeFeedAndNothingElse() {
        Set<String> documented = new TreeSet<>();
        document.get("paths").properties().forEach(path -> path.getValue().propertyNames()
                .forEach(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));

        assertThat(documented).containsExactlyInAnyOrderElementsOf(contractOperations().map(Op::key).toList());
        assertThat(document.get("openapi").stringValue()).startsWith("3.");
    }

    @Test
    void theThreeTokenHeadersAreApiKeySecuritySchemes() {
        JsonNode schemes = document.path("components").path("securitySchemes");

        assertThat(schemes.propertyNames()).containsExactlyInAnyOrder("X-Admin-Token", "X-RT-Node-Token", "X-Deploy-Secret");
        schemes.properties().forEach(scheme -> {
            assertThat(scheme.getValue().get("type").stringValue()).isEqualTo("apiKey");
            assertThat(scheme.getValue().get("in").stringValue()).isEqualTo("header");
            assertThat(scheme.getValue().get("name").stringValue()).isEqualTo(scheme.getKey());
        });
        assertThat(document.has("security")).as("no document-wide requirement: each operation names its own").isFalse();
    }

    @ParameterizedTest
    @MethodSource("contractOperations")
    void eachOperationRequiresTheHeaderOfItsGroupAndOnlyThat(Op op) {
        JsonNode security = operation(op).path("security");

        if (op.header() == null) {
            assertThat(security.isMissingNode() || security.isEmpty()).as("%s needs no token: %s", op, security).isTrue();
        } else {
            assertThat(security.size()).as("%s: %s", op, security).isEqualTo(1);
            assertThat(security.get(0).propertyNames()).containsExactly(op.header());
        }
    }

    @ParameterizedTest
    @MethodSource("contractOperations")
    void eachBodyTakingOperationHasAJsonRequestExampleAndOthersTakeNoBody(Op op) {
        JsonNode requestBody = operation(op).path("requestBody");

        if (!op.body()) {
            assertThat(requestBody.isMissingNode()).as("%s takes no body", op).isTrue();
            return;
        }
        JsonNode json = requestBody.path("content").path("application/json");
        assertThat(json.isObject()).as("%s consumes application/json: %s", op, requestBody).isTrue();
        JsonNode example = json.path("examples").path("example").path("value");
        assertThat(example.isObject() && !example.isEmpty()).as("%s request example: %s", op, json).isTrue();
    }

    @ParameterizedTest
    @MethodSource("contractOperations")
    void eachOperationShowsItsOkEnvelopeAndEveryErrorStatusItCanAnswer(Op op) {
        JsonNode responses = operation(op).path("responses");

        List<Integer> statuses = new ArrayList<>();
        responses.propertyNames().forEach(status -> statuses.add(Integer.parseInt(status)));
        Set<Integer> expected = new TreeSet<>(op.errors());
        expected.add(200);
        assertThat(statuses).as("%s statuses", op).containsExactlyInAnyOrderElementsOf(expected);

        JsonNode ok = example(op, responses, 200);
        assertThat(ok.get("code").intValue()).isEqualTo(200);
        assertThat(ok.get("message").stringValue()).isEqualTo("ok");
        assertThat(ok.has("data") && !ok.get("data").isNull()).as("%s 200 example has data: %s", op, ok).isTrue();
        for (int status : op.errors()) {
            JsonNode error = example(op, responses, status);
            assertThat(error.get("code").intValue()).as("%s %s example", op, status).isEqualTo(status);
            assertThat(error.get("message").stringValue()).isNotBlank();
            if (status == 410) {
                assertThat(error.at("/data/oldestAvailable").isNumber()).as("%s 410 says what is kept", op).isTrue();
            } else {
                assertThat(error.get("data").isNull()).isTrue();
            }
            assertThat(responses.get(String.valueOf(status)).get("description").stringValue()).isNotBlank();
        }
    }

    @Test
    void theNodeListDocumentsItsPagingParametersAndThePagedAnswer() {
        JsonNode list = document.path("paths").path("/admin/runtime-nodes/list").path("get");

        List<String> parameters = new ArrayList<>();
        list.path("parameters").forEach(parameter -> {
            parameters.add(parameter.get("name").stringValue());
            assertThat(parameter.get("required").booleanValue()).as("%s is optional", parameter).isFalse();
            assertThat(parameter.path("description").stringValue()).isNotBlank();
        });
        JsonNode paged = list.path("responses").path("200").path("content").path("application/json")
                .path("examples").path("paged").path("value").path("data");

        assertThat(parameters).containsExactlyInAnyOrder("limit", "afterNodeId");
        assertThat(paged.get("items").isArray()).as("paged example: %s", paged).isTrue();
        assertThat(paged.has("nextAfterNodeId")).isTrue();
    }

    private static JsonNode example(Op op, JsonNode responses, int status) {
        JsonNode example = responses.path(String.valueOf(status)).path("content").path("application/json")
                .path("examples").path("example").path("value");
        assertThat(example.isObject()).as("%s %s example in %s", op, status, responses.get(String.valueOf(status))).isTrue();
        return example;
    }

    @Test
    void theSwaggerUiAnswersWithoutATokenAndRendersThisDocument() throws IOException, InterruptedException {
        Reply redirect = client.anonymous().get("/swagger-ui.html");
        assertThat(redirect.status()).isIn(200, 302);

        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/swagger-ui.html")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("swagger-ui");
        HttpResponse<String> config = browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/v3/api-docs/swagger-config")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("/v3/api-docs");
    }
}
