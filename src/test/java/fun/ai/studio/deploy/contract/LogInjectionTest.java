package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.LogLines;
import fun.ai.studio.deploy.support.RawHttp;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static fun.ai.studio.deploy.support.DeployClient.UPSERT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values from a request reach the log only escaped and cut: a path, a body or a malformed request line can
 * neither start a forged log line nor send terminal escape sequences, and a huge value does not flood the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogInjectionTest extends InMemoryContractTest {

    private RawHttp raw;

    @BeforeEach
    void rawClient() {
        raw = new RawHttp(port);
    }

    private static List<String> lines(CapturedOutput output) {
        return output.getAll().lines().toList();
    }

    @Test
    void anEncodedLineBreakInThePathIsLoggedEscapedAndForgesNoLine(CapturedOutput output) {
        // As curl --path-as-is -H 'X-Admin-Token: wrong' sends it.
        RawHttp.Response answer = raw.send(RawHttp.request("GET /admin/x%0d%0aFORGED HTTP/1.1", "X-Admin-Token: wrong"));

        assertThat(answer.reply().error(401)).isEqualTo("wrong X-Admin-Token");
        assertThat(lines(output)).anyMatch(line -> line.endsWith("refused GET /admin/x\\r\\nFORGED from 127.0.0.1: wrong X-Admin-Token"));
        assertThat(lines(output)).noneMatch(line -> line.startsWith("FORGED"));
    }

    @Test
    void anEncodedEscapeCharacterIsLoggedVisiblyNeverRaw(CapturedOutput output) {
        RawHttp.Response answer = raw.send(RawHttp.request("GET /admin/x%1b%5b2J%1b%5b31mRED HTTP/1.1", "X-Admin-Token: wrong"));

        assertThat(answer.reply().error(401)).isEqualTo("wrong X-Admin-Token");
        assertThat(output.getAll()).contains("refused GET /admin/x\\u001b[2J\\u001b[31mRED from 127.0.0.1").doesNotContain("\u001b");
    }

    @Test
    void aFourKilobytePathIsCutWithAMarkerGivingItsLength(CapturedOutput output) {
        String path = "/admin/" + "a".repeat(4096);

        RawHttp.Response answer = raw.send(RawHttp.request("GET " + path + " HTTP/1.1", "X-Admin-Token: wrong"));

        assertThat(answer.reply().error(401)).isEqualTo("wrong X-Admin-Token");
        String line = lines(output).stream().filter(l -> l.contains("refused GET /admin/aaa")).findFirst().orElseThrow();
        assertThat(line).contains("refused GET " + path.substring(0, 200) + "…(" + path.length() + " chars) from 127.0.0.1")
                .doesNotContain(path.substring(0, 201));
    }

    @Test
    void aRawEscapeInTheRequestLineIsRefusedByTomcatAndLoggedEscapedInOneLine(CapturedOutput output) {
        byte[] request = RawHttp.request("GET /admin/x\u001b[31mFORGED HTTP/1.1", "X-Admin-Token: wrong");

        RawHttp.Response answer = raw.send(request);

        assertThat(answer.reply().error(400)).isEqualTo("malformed request: the URL or a header is not valid HTTP");
        assertThat(output.getAll()).doesNotContain("\u001b").contains("refused ");
        assertThat(lines(output)).noneMatch(line -> line.startsWith("FORGED") || LogLines.isTraceLine(line));
    }

    @Test
    void anAuditedBodyWithRawControlCharactersIsLoggedEscaped(CapturedOutput output) {
        String name = TestIds.nodeName("log-body");
        String body = "{\"name\": \"" + name + "\r\nFORGED \u001b[2J\"}";
        JsonNode before = client.nodes();

        String message = client.asAdmin().post(UPSERT, body).error(400);

        assertThat(message).isEqualTo("malformed JSON in request body");
        assertThat(client.nodes()).isEqualTo(before);
        assertThat(output.getAll()).contains(name + "\\r\\nFORGED \\u001b[2J").doesNotContain("\u001b")
                .doesNotContain(TestTokens.ADMIN);
        assertThat(lines(output)).noneMatch(line -> line.startsWith("FORGED"));
    }

    @Test
    void aMalformedQueryIsRefusedWithOneLogLineAndNoTrace(CapturedOutput output) {
        RawHttp.Response answer = raw.send(RawHttp.request("GET /internal/health?x=%0d%0aFORGED&y=%zz HTTP/1.1"));

        assertThat(answer.reply().error(400)).isEqualTo(
                "the query string is not valid: '%zz' is not a percent-encoded byte (send a literal % as %25)");
        assertThat(lines(output).stream().filter(line -> line.contains("refused GET /internal/health"))).hasSize(1);
        assertThat(lines(output)).noneMatch(line -> line.startsWith("FORGED") || LogLines.isTraceLine(line));
    }
}
