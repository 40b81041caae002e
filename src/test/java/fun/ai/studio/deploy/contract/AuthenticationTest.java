package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.DeployClient.Caller;
import fun.ai.studio.deploy.support.DeployClient.Reply;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static fun.ai.studio.deploy.support.DeployClient.ADMIN_HEADER;
import static fun.ai.studio.deploy.support.DeployClient.INTERNAL_HEADER;
import static fun.ai.studio.deploy.support.DeployClient.NODE_HEADER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each authenticated endpoint, with no token, a wrong one, another group's secret, and its own: 401 until
 * the right one is sent, the token never echoed or logged, and nothing changed by a refused call.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuthenticationTest extends InMemoryContractTest {

    private static final String NODE_NAME = "auth-target";
    private static final String APP_ID = "auth-app";

    /** One request per authenticated endpoint; each touches only {@link #NODE_NAME} or {@link #APP_ID}-based ids. */
    record Endpoint(String header, String method, String path, Object body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static Stream<Arguments> endpoints() {
        return Stream.of(
                new Endpoint(NODE_HEADER, "POST", DeployClient.HEARTBEAT, DeployClient.heartbeatBody("NAME")),
                new Endpoint(ADMIN_HEADER, "GET", DeployClient.NODE_LIST, null),
                new Endpoint(ADMIN_HEADER, "POST", DeployClient.UPSERT, Map.of("name", "NAME",
                        "agentBaseUrl", "http://10.0.0.1:7005", "gatewayBaseUrl", "http://10.0.0.1:8080")),
                new Endpoint(ADMIN_HEADER, "POST", DeployClient.SET_ENABLED + "?name=NAME&enabled=false", null),
                new Endpoint(ADMIN_HEADER, "GET", DeployClient.PLACEMENTS + "?nodeId=NODE", null),
                new Endpoint(ADMIN_HEADER, "POST", DeployClient.REASSIGN, Map.of("appId", "APP", "targetNodeId", "NODE")),
                new Endpoint(ADMIN_HEADER, "POST", DeployClient.DRAIN, Map.of("sourceNodeId", "NODE", "targetNodeId", "OTHER")),
                new Endpoint(ADMIN_HEADER, "GET", "/admin/apps/APP", null),
                new Endpoint(INTERNAL_HEADER, "POST", DeployClient.ENSURE, Map.of("appId", "APP")),
                new Endpoint(INTERNAL_HEADER, "GET", "/internal/placements/APP", null),
                new Endpoint(INTERNAL_HEADER, "POST", "/internal/apps/APP/report", Map.of("status", "FAILED")))
                .map(Arguments::of);
    }

    private String nodeName;
    private String appId;
    private long nodeId;
    private long otherNodeId;

    @BeforeEach
    void placeAnAppOnAKnownNode() {
        nodeName = TestIds.nodeName(NODE_NAME);
        appId = TestIds.appId(APP_ID);
        nodeId = client.heartbeat(nodeName).get("nodeId").longValue();
        otherNodeId = client.heartbeat(TestIds.nodeName("auth-other")).get("nodeId").longValue();
        client.ensure(appId);
    }

    private Reply call(Endpoint endpoint, Caller caller) {
        String path = endpoint.path().replace("NAME", nodeName).replace("APP", appId)
                .replace("OTHER", Long.toString(otherNodeId)).replace("NODE", Long.toString(nodeId));
        if (endpoint.body() == null) {
            return endpoint.method().equals("GET") ? caller.get(path) : caller.post(path);
        }
        String json = DeployClient.toJson(endpoint.body()).replace("NAME", nodeName).replace("APP", appId)
                .replace("\"OTHER\"", Long.toString(otherNodeId)).replace("\"NODE\"", Long.toString(nodeId));
        return caller.post(path, json);
    }

    /** Everything the endpoints above could change, read with the right tokens. */
    private List<JsonNode> state() {
        return List.of(client.nodes(), client.placement(appId), client.placements(nodeId, 0, 10),
                client.placements(otherNodeId, 0, 10));
    }

    private static String tokenFor(String header) {
        return switch (header) {
            case ADMIN_HEADER -> TestTokens.ADMIN;
            case NODE_HEADER -> TestTokens.NODE;
            default -> TestTokens.INTERNAL;
        };
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void missingTokenIs401NamingTheHeaderAndChangesNothing(Endpoint endpoint) {
        List<JsonNode> before = state();

        String message = call(endpoint, client.anonymous()).error(401);

        assertThat(message).isEqualTo("missing " + endpoint.header() + " header");
        assertThat(state()).isEqualTo(before);
        assertThat(client.asAdmin().get("/admin/apps/" + appId).ok().get("run").isNull()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void wrongTokenIs401AndIsNeitherEchoedNorLogged(Endpoint endpoint, CapturedOutput output) {
        String wrong = "wrong-" + UUID.randomUUID();
        List<JsonNode> before = state();

        Reply reply = call(endpoint, client.anonymous().header(endpoint.header(), wrong));

        assertThat(reply.error(401)).isEqualTo("wrong " + endpoint.header());
        assertThat(reply.body()).doesNotContain(wrong).doesNotContain(tokenFor(endpoint.header()));
        assertThat(output.getAll()).doesNotContain(wrong)
                .doesNotContain(TestTokens.ADMIN).doesNotContain(TestTokens.NODE).doesNotContain(TestTokens.INTERNAL);
        assertThat(state()).isEqualTo(before);
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void anotherGroupsSecretIs401BecauseEachGroupHasItsOwn(Endpoint endpoint) {
        List<JsonNode> before = state();

        for (String foreign : List.of(TestTokens.ADMIN, TestTokens.NODE, TestTokens.INTERNAL)) {
            if (!foreign.equals(tokenFor(endpoint.header()))) {
                assertThat(call(endpoint, client.anonymous().header(endpoint.header(), foreign)).error(401))
                        .isEqualTo("wrong " + endpoint.header());
            }
        }
        // The right secret under another group's header is as good as no token at all.
        String otherHeader = endpoint.header().equals(ADMIN_HEADER) ? INTERNAL_HEADER : ADMIN_HEADER;
        assertThat(call(endpoint, client.anonymous().header(otherHeader, tokenFor(endpoint.header()))).error(401))
                .isEqualTo("missing " + endpoint.header() + " header");
        assertThat(state()).isEqualTo(before);
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void rightTokenIsLetThroughWhateverTheHeaderNamesCase(Endpoint endpoint) {
        Reply reply = call(endpoint, client.anonymous().header(endpoint.header().toLowerCase(), tokenFor(endpoint.header())));

        assertThat(reply.ok()).isNotNull();
    }
}
