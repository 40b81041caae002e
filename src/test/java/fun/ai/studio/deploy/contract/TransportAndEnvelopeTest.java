package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.DeployClient.Reply;
import fun.ai.studio.deploy.support.Json;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.ViewFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static fun.ai.studio.deploy.support.DeployClient.ENSURE;
import static fun.ai.studio.deploy.support.DeployClient.HEARTBEAT;
import static fun.ai.studio.deploy.support.DeployClient.JSON;
import static fun.ai.studio.deploy.support.DeployClient.UPSERT;
import static org.assertj.core.api.Assertions.assertThat;

/** What holds for every endpoint: body size and type, malformed JSON, the envelope on errors, health probes. */
class TransportAndEnvelopeTest extends InMemoryContractTest {

    private static final int LIMIT = 64 * 1024;
    private static final String TOO_LARGE = "request body is larger than 65536 bytes (64 KiB)";

    /** A valid heartbeat of exactly {@code size} bytes, padded in a field the server ignores. */
    private static byte[] heartbeatOfSize(String name, int size) {
        Map<String, Object> body = DeployClient.heartbeatBody(name);
        body.put("padding", "");
        String json = DeployClient.toJson(body);
        String padded = json.replace("\"padding\":\"\"", "\"padding\":\"" + "p".repeat(size - json.length()) + "\"");
        byte[] bytes = padded.getBytes(StandardCharsets.UTF_8);
        assertThat(bytes).hasSize(size);
        return bytes;
    }

    private static BodyPublisher chunked(byte[] bytes) {
        // Unknown length: HttpClient sends it with Transfer-Encoding: chunked and no Content-Length.
        return BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
    }

    @Test
    void bodyOfExactly64KiBIsNotRefusedForSizeWithContentLength() {
        String name = TestIds.nodeName("exact-size");

        Reply reply = client.asNode().send("POST", HEARTBEAT, JSON, BodyPublishers.ofByteArray(heartbeatOfSize(name, LIMIT)));

        assertThat(reply.ok().get("name").stringValue()).isEqualTo(name);
    }

    @Test
    void bodyOfExactly64KiBIsNotRefusedForSizeWhenChunked() {
        String name = TestIds.nodeName("exact-size-chunked");

        Reply reply = client.asNode().send("POST", HEARTBEAT, JSON, chunked(heartbeatOfSize(name, LIMIT)));

        assertThat(reply.ok().get("name").stringValue()).isEqualTo(name);
    }

    @Test
    void bodyOneByteOver64KiBIs413WithContentLengthAndChangesNothing() {
        String name = TestIds.nodeName("too-large");
        JsonNode before = client.nodes();

        String message = client.asNode().send("POST", HEARTBEAT, JSON,
                BodyPublishers.ofByteArray(heartbeatOfSize(name, LIMIT + 1))).error(413);

        assertThat(message).isEqualTo(TOO_LARGE);
        assertThat(client.nodes()).isEqualTo(before);
    }

    @Test
    void chunkedBodyOneByteOver64KiBIs413AndChangesNothing() {
        String name = TestIds.nodeName("too-large-chunked");
        JsonNode before = client.nodes();

        String message = client.asNode().send("POST", HEARTBEAT, JSON, chunked(heartbeatOfSize(name, LIMIT + 1))).error(413);

        assertThat(message).isEqualTo(TOO_LARGE);
        assertThat(client.nodes()).isEqualTo(before);
    }

    @Test
    void megabyteBodiesAre413ChunkedOrNotOnEveryEndpointGroup() {
        String name = TestIds.nodeName("huge");
        byte[] huge = heartbeatOfSize(name, 1024 * 1024);
        JsonNode before = client.nodes();

        assertThat(client.asNode().send("POST", HEARTBEAT, JSON, chunked(huge)).error(413)).isEqualTo(TOO_LARGE);
        assertThat(client.asAdmin().send("POST", UPSERT, JSON, BodyPublishers.ofByteArray(huge)).error(413)).isEqualTo(TOO_LARGE);
        assertThat(client.asRunner().send("POST", ENSURE, JSON, chunked(huge)).error(413)).isEqualTo(TOO_LARGE);
        assertThat(client.nodes()).isEqualTo(before);
    }

    @ParameterizedTest
    @CsvSource({"text/plain", "application/xml", "application/x-www-form-urlencoded"})
    void wrongContentTypeIs415AndChangesNothing(String contentType) {
        String name = TestIds.nodeName("wrong-type");
        String json = DeployClient.toJson(DeployClient.heartbeatBody(name));
        JsonNode before = client.nodes();

        String heartbeat = client.asNode().send("POST", HEARTBEAT, contentType, BodyPublishers.ofString(json)).error(415);
        String upsert = client.asAdmin().send("POST", UPSERT, contentType, BodyPublishers.ofString(json)).error(415);
        String ensure = client.asRunner().send("POST", ENSURE, contentType,
                BodyPublishers.ofString("{\"appId\":\"a\"}")).error(415);
        String report = client.asRunner().send("POST", "/internal/apps/a/report", contentType,
                BodyPublishers.ofString("{\"status\":\"QUEUED\"}")).error(415);

        assertThat(heartbeat).isEqualTo("Content-Type must be application/json");
        assertThat(upsert).isEqualTo(heartbeat);
        assertThat(ensure).isEqualTo(heartbeat);
        assertThat(report).isEqualTo(heartbeat);
        assertThat(client.nodes()).isEqualTo(before);
        client.asAdmin().get("/admin/apps/a").error(404);
    }

    @Test
    void bodyWithoutContentTypeIs415() {
        String json = DeployClient.toJson(DeployClient.heartbeatBody(TestIds.nodeName("no-type")));
        JsonNode before = client.nodes();

        String message = client.asNode().send("POST", HEARTBEAT, null, BodyPublishers.ofString(json)).error(415);

        assertThat(message).isEqualTo("Content-Type must be application/json");
        assertThat(client.nodes()).isEqualTo(before);
    }

    @Test
    void jsonWithACharsetParameterIsAccepted() {
        String name = TestIds.nodeName("charset");
        String json = DeployClient.toJson(DeployClient.heartbeatBody(name));

        Reply reply = client.asNode().send("POST", HEARTBEAT, "application/json; charset=UTF-8", BodyPublishers.ofString(json));

        assertThat(reply.ok().get("name").stringValue()).isEqualTo(name);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"nodeName\": \"x\",          | malformed JSON in request body",
            "not json                      | malformed JSON in request body",
            "{'nodeName': 'x'}             | malformed JSON in request body",
            "{\"nodeName\": \"x\"} trailing | malformed JSON in request body",
            "[]                            | request body must be a JSON object",
            "\"a string\"                  | request body must be a JSON object",
            "null                          | request body is missing or unreadable; send a JSON object",
            "``                            | request body is missing or unreadable; send a JSON object"})
    void unreadableBodyIs400AndChangesNothing(String body, String expected) {
        JsonNode before = client.nodes();

        String heartbeat = client.asNode().post(HEARTBEAT, body.strip()).error(400);
        String upsert = client.asAdmin().post(UPSERT, body.strip()).error(400);

        assertThat(heartbeat).isEqualTo(expected);
        assertThat(upsert).isEqualTo(expected);
        assertThat(client.nodes()).isEqualTo(before);
    }

    @Test
    void internalHealthAnswersWithoutAnyToken() {
        JsonNode data = client.anonymous().get("/internal/health").ok();

        assertThat(Json.fieldNames(data)).isEqualTo(ViewFields.HEALTH);
        assertThat(data.get("service").stringValue()).isEqualTo("fun-ai-studio-deploy");
        assertThat(data.get("status").stringValue()).isEqualTo("UP");
        assertThat(data.get("timestamp").longValue()).isEqualTo(nowMs());
        // A stray or wrong token does not turn an open endpoint into a closed one.
        assertThat(client.anonymous().header("X-Admin-Token", "wrong").get("/internal/health").ok().get("status")
                .stringValue()).isEqualTo("UP");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"})
    void actuatorHealthProbesAreUpWithoutAnyTokenInBootsOwnFormat(String path) {
        Reply reply = client.anonymous().get(path);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).contains("json");
        JsonNode body = reply.json();
        assertThat(body.get("status").stringValue()).isEqualTo("UP");
        assertThat(body.has("code")).as("actuator keeps its own format, not the envelope").isFalse();
    }

    @Test
    void unknownPathIs404InTheEnvelope() {
        assertThat(client.anonymous().get("/no/such/path").error(404)).isEqualTo("no endpoint at /no/such/path");
        assertThat(client.asAdmin().get("/admin/no-such-thing").error(404)).isEqualTo("no endpoint at /admin/no-such-thing");
    }

    @Test
    void wrongMethodIs405InTheEnvelopeNamingTheAllowedOne() {
        String message = client.asAdmin().get(UPSERT).error(405);

        assertThat(message).isEqualTo("method GET is not allowed here; use POST");
    }

    @Test
    void errorPathCalledDirectlyIsNotAServerError() {
        assertThat(client.anonymous().get("/error").error(404)).isEqualTo("no endpoint at /error");
    }

    @Test
    void urlTheContainerRefusesStillGetsTheEnvelope() {
        // Tomcat refuses an encoded slash before any filter or servlet runs.
        String message = client.asRunner().get("/internal/placements/a%2Fb").error(400);

        assertThat(message).contains("malformed request");
    }

    @Test
    void requestLineWithARawSpaceGetsTheEnvelope() throws IOException {
        // As a hand-typed curl command can send it; no well-behaved client library would.
        String raw = rawRequest("GET /admin/apps/my app HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        String head = raw.substring(0, raw.indexOf("\r\n\r\n"));
        String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
        assertThat(head).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: application/json");
        new Reply(400, "application/json", body).error(400);
    }

    @Test
    void adminConsolePathNeedsNoTokenToBeReadButOtherMethodsDo() {
        DeployClient.Reply page = client.anonymous().get("/admin/console");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(client.anonymous().post("/admin/console").error(401)).isEqualTo("missing X-Admin-Token header");
    }

    private String rawRequest(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
