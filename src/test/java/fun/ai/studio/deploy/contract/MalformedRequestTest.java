package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.LogLines;
import fun.ai.studio.deploy.support.RawHttp;
import fun.ai.studio.deploy.support.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input the service cannot read is a 400 in the envelope on every route, actuator and Swagger UI included, never
 * a 5xx; it changes nothing and logs at most one line, never a stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class MalformedRequestTest extends InMemoryContractTest {

    private static final String ADMIN = "X-Admin-Token: " + TestTokens.ADMIN;
    private static final String BAD_ESCAPE = "the query string is not valid: '%zz' is not a percent-encoded byte"
            + " (send a literal % as %25)";
    private static final String NOT_UTF8 = "the query string is not valid: its percent-encoded bytes are not UTF-8";
    private static final String BAD_URL = "malformed request: the URL or a header is not valid HTTP";

    private RawHttp raw;

    @BeforeEach
    void rawClient() {
        raw = new RawHttp(port);
    }

    /** The node list and the newest audit entries, which no refused request may change. */
    private String state() {
        return client.nodes().toString() + client.asAdmin().get("/admin/audit?limit=5").ok();
    }

    /**
     * Sends the request and checks what every refusal of bad input shares: the status in the envelope, the state
     * unchanged, at most one log line and no stack trace. Returns the message.
     */
    private String refused(CapturedOutput output, int status, byte[] request) {
        String before = state();
        int logged = output.getAll().length();

        RawHttp.Response answer = raw.send(request);

        String message = answer.reply().error(status);
        List<String> lines = output.getAll().substring(logged).lines().toList();
        assertThat(lines).as("log of %s", RawHttp.preview(request)).hasSizeLessThanOrEqualTo(1)
                .noneMatch(LogLines::isTraceLine);
        assertThat(state()).isEqualTo(before);
        return message;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "GET  | /internal/health?x=%zz                                | %zz",
            "GET  | /actuator/health?x=%zz                                | %zz",
            "GET  | /actuator/health/liveness?x=%zz                       | %zz",
            "GET  | /actuator/info?x=%zz                                  | %zz",
            "GET  | /swagger-ui.html?x=%zz                                | %zz",
            "GET  | /v3/api-docs?x=%zz                                    | %zz",
            "GET  | /v3/api-docs/swagger-config?x=%zz                     | %zz",
            "GET  | /admin/console?x=%zz                                  | %zz",
            "GET  | /admin/runtime-nodes/placements?nodeId=%zz            | %zz",
            "POST | /admin/runtime-nodes/set-enabled?name=%zz&enabled=false | %zz",
            "GET  | /actuator/prometheus?x=%zz                            | %zz",
            "GET  | /no/such/path?x=%zz                                   | %zz",
            "GET  | /internal/health?x=%z                                 | %z",
            "GET  | /internal/health?x=%                                  | %",
            "GET  | /internal/health?x=%4                                 | %4"})
    void aBadPercentEscapeInTheQueryIs400OnEveryRoute(String method, String target, String escape, CapturedOutput output) {
        String message = refused(output, 400, RawHttp.request(method + " " + target + " HTTP/1.1", ADMIN));

        assertThat(message).isEqualTo(BAD_ESCAPE.replace("'%zz'", "'" + escape + "'"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/info?x=%c0%af", "/admin/runtime-nodes/placements?nodeId=1&afterAppId=%c0%af",
            "/swagger-ui.html?x=%ff", "/v3/api-docs?x=%e9t%e9"})
    void percentEncodedBytesThatAreNotUtf8Are400(String target, CapturedOutput output) {
        assertThat(refused(output, 400, RawHttp.request("GET " + target + " HTTP/1.1", ADMIN))).isEqualTo(NOT_UTF8);
    }

    @Test
    void percentEncodedUtf8IsAccepted() {
        RawHttp.Response answer = raw.send(RawHttp.request(
                "GET /admin/runtime-nodes/placements?nodeId=1&afterAppId=%C3%A9t%C3%A9 HTTP/1.1", ADMIN));

        // Past the query check: the identifier rules refuse é, with their own message.
        assertThat(answer.reply().error(400)).startsWith("afterAppId must be");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/admin/runtime-nodes/list/%zz", "/foo%zz", "/internal/placements/%c0%af", "/admin/x%c0%afy",
            "/actuator/health/%zz", "/v3/api-docs/%c0%af", "/internal/placements/a%00b"})
    void aBadEscapeInThePathIs400(String path, CapturedOutput output) {
        assertThat(refused(output, 400, RawHttp.request("GET " + path + " HTTP/1.1", ADMIN))).isEqualTo(BAD_URL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/admin/runtime-nodes/placements?nodeId=1&", "/actuator/health?", "/swagger-ui.html?"})
    void aQueryTomcatCannotSplitIntoParametersIs400(String prefix, CapturedOutput output) {
        String tooMany = IntStream.range(0, 1001).mapToObj(i -> "a=1").collect(Collectors.joining("&"));
        String message = refused(output, 400, RawHttp.request("GET " + prefix + tooMany + " HTTP/1.1", ADMIN));
        String nameless = refused(output, 400, RawHttp.request("GET " + prefix + "=x HTTP/1.1", ADMIN));

        assertThat(message).isEqualTo("the query string cannot be read: too many parameters, or a parameter without a name");
        assertThat(nameless).isEqualTo(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/actuator/info", "/internal/health", "/v3/api-docs", "/admin/audit"})
    void anAcceptHeaderTheRouteCannotMeetIs406InTheEnvelope(String path, CapturedOutput output) {
        String message = refused(output, 406, RawHttp.request("GET " + path + " HTTP/1.1", ADMIN, "Accept: image/png"));

        assertThat(message).isEqualTo("this endpoint answers application/json only");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT", "PATCH", "DELETE"})
    void aFormBodyIsNeverParsed(String method, CapturedOutput output) {
        byte[] body = "a=%zz&b=%c0%af".getBytes(StandardCharsets.US_ASCII);
        byte[] head = RawHttp.request(method + " /internal/health HTTP/1.1",
                "Content-Type: application/x-www-form-urlencoded", "Content-Length: " + body.length);

        String message = refused(output, 405, concat(head, body));

        assertThat(message).isEqualTo("method " + method + " is not allowed here; use GET");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "*/*                              | the Content-Type header has a wildcard; a body has one concrete type, such as application/json",
            "application/*                    | the Content-Type header has a wildcard; a body has one concrete type, such as application/json",
            ";;;                              | the Content-Type header is not a valid media type; send application/json",
            "application/json; charset=nope   | the Content-Type header is not a valid media type; send application/json",
            "json                             | the Content-Type header is not a valid media type; send application/json"})
    void aContentTypeThatIsNotOneConcreteMediaTypeIs400OnEveryRoute(String contentType, String expected,
                                                                    CapturedOutput output) {
        for (String requestLine : List.of("GET /actuator/health/readiness", "GET /actuator/info", "GET /internal/health",
                "POST /internal/runtime-nodes/heartbeat", "POST /admin/runtime-nodes/upsert")) {
            String message = refused(output, 400, RawHttp.request(requestLine + " HTTP/1.1", ADMIN,
                    "X-RT-Node-Token: " + TestTokens.NODE, "Content-Type: " + contentType, "Content-Length: 2"));

            assertThat(message).as(requestLine).isEqualTo(expected);
        }
    }

    @Test
    void aMultipartBodyIsNeverParsed(CapturedOutput output) {
        byte[] body = "--x\r\nbroken".getBytes(StandardCharsets.US_ASCII);
        byte[] heartbeat = RawHttp.request("POST /internal/runtime-nodes/heartbeat HTTP/1.1", "X-RT-Node-Token: " + TestTokens.NODE,
                "Content-Type: multipart/form-data", "Content-Length: " + body.length);

        String message = refused(output, 415, concat(heartbeat, body));
        RawHttp.Response health = raw.send(RawHttp.request("GET /internal/health HTTP/1.1", "Content-Type: multipart/form-data"));

        assertThat(message).isEqualTo("Content-Type must be application/json");
        assertThat(health.reply().ok().get("status").stringValue()).isEqualTo("UP");
    }

    @Test
    void anUnknownTransferEncodingIs400NotTomcats501(CapturedOutput output) {
        String message = refused(output, 400, RawHttp.request("POST /internal/runtime-nodes/heartbeat HTTP/1.1",
                "X-RT-Node-Token: " + TestTokens.NODE, "Content-Type: application/json", "Transfer-Encoding: gzip"));

        assertThat(message).isEqualTo("malformed request: the Transfer-Encoding is not supported; send chunked or a Content-Length");
    }

    @Test
    void anUnknownHttpVersionIs400NotTomcats505(CapturedOutput output) {
        String message = refused(output, 400, RawHttp.request("GET /internal/health HTTP/2.7"));

        assertThat(message).isEqualTo("malformed request: the HTTP version is not supported; send HTTP/1.1");
    }

    @Test
    void anOversizedHeaderIs400InOneLogLine(CapturedOutput output) {
        String huge = "X-Filler: " + "f".repeat(16 * 1024);

        assertThat(refused(output, 400, RawHttp.request("GET /actuator/health HTTP/1.1", huge))).isEqualTo(BAD_URL);
    }

    private static byte[] concat(byte[] head, byte[] body) {
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }
}
