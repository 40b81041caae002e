package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.RawHttp;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every answer, success or error, envelope or not, is marked {@code Cache-Control: no-store} and
 * {@code X-Content-Type-Options: nosniff}, each exactly once.
 */
class ResponseHeadersTest extends InMemoryContractTest {

    private static final String ADMIN = "X-Admin-Token: " + TestTokens.ADMIN;

    private RawHttp.Response send(byte[] request) {
        return new RawHttp(port).send(request);
    }

    private static void assertMarked(RawHttp.Response answer, int status) {
        assertThat(answer.status()).as("status; body %s", answer.body()).isEqualTo(status);
        assertThat(answer.headers()).containsEntry("cache-control", "no-store")
                .containsEntry("x-content-type-options", "nosniff");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "GET /internal/health                          | 200",
            "GET /admin/runtime-nodes/list                 | 200",
            "GET /admin/audit?limit=1                      | 200",
            "GET /actuator/health                          | 200",
            "GET /actuator/health/readiness                | 200",
            "GET /actuator/info                            | 200",
            "GET /actuator/prometheus                      | 200",
            "GET /v3/api-docs                              | 200",
            "GET /v3/api-docs/swagger-config               | 200",
            "GET /admin/console                            | 200",
            "GET /admin/console.js                         | 200",
            "GET /swagger-ui.html                          | 302",
            "GET /no/such/path                             | 404",
            "GET /admin/apps/no-such-app                   | 404",
            "POST /admin/runtime-nodes/list                | 405",
            "TRACE /internal/health                        | 405",
            "GET /error                                    | 404",
            "GET /admin/runtime-nodes/placements?nodeId=x  | 400",
            "GET /internal/health?x=%zz                    | 400",
            "GET /internal/placements/a%2Fb                | 400",
            "GET /actuator/health HTTP/2.7                 | 400"})
    void answersOfEveryKindAreMarkedNoStoreAndNoSniff(String requestLine, int status) {
        String line = requestLine.contains(" HTTP/") ? requestLine : requestLine + " HTTP/1.1";

        assertMarked(send(RawHttp.request(line, ADMIN)), status);
    }

    @Test
    void refusalsOfTheAccessFilterAreMarked() {
        assertMarked(send(RawHttp.request("GET /admin/runtime-nodes/list HTTP/1.1")), 401);
        assertMarked(send(RawHttp.request("GET /admin/runtime-nodes/list HTTP/1.1", "X-Admin-Token: wrong")), 401);
        assertMarked(send(RawHttp.request("GET /actuator/metrics HTTP/1.1")), 401);
    }

    @Test
    void anOversizedBodyRefusalIsMarked() {
        byte[] body = DeployClient.toJson(DeployClient.heartbeatBody(TestIds.nodeName("huge")))
                .replace("}", ",\"padding\":\"" + "p".repeat(70 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] head = RawHttp.request("POST " + DeployClient.HEARTBEAT + " HTTP/1.1", "X-RT-Node-Token: " + TestTokens.NODE,
                "Content-Type: application/json", "Content-Length: " + body.length);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);

        assertMarked(send(request), 413);
    }
}
