package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.AuditTrail;
import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.PrometheusText;
import fun.ai.studio.deploy.support.TestClockConfiguration;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static fun.ai.studio.deploy.support.DeployClient.HEARTBEAT;
import static fun.ai.studio.deploy.support.DeployClient.NODE_HEADER;
import static fun.ai.studio.deploy.support.DeployClient.NODE_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code node-auth=per-node}: each node's token is HMAC-SHA256 of its name keyed by the shared secret, handed out by
 * {@code GET /admin/runtime-nodes/token}, and speaks for that node only. The secret before the last rotation keeps
 * its nodes' tokens good until its {@code valid-until}.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {
        "deploy.runtime-node-registry.node-auth=per-node",
        "deploy.runtime-node-registry.previous-shared-secret=" + PerNodeAuthApiTest.OLD_SECRET,
        "deploy.runtime-node-registry.previous-shared-secret-valid-until=" + PerNodeAuthApiTest.VALID_UNTIL})
class PerNodeAuthApiTest extends InMemoryContractTest {

    static final String OLD_SECRET = "old-node-secret-0123456789abcdef0123";
    /** A hundred days after {@link TestClockConfiguration#START}: each test moves the clock one day. */
    static final String VALID_UNTIL = "2027-03-08T03:12:31.123Z";
    private static final Instant OLD_SECRET_VALID_UNTIL = Instant.parse(VALID_UNTIL);

    private AuditTrail audit;

    @BeforeEach
    void readTheAuditTrail() {
        audit = new AuditTrail(client);
    }

    private static String hmacHex(String secret, String name) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private DeployClient.Reply heartbeat(String token, String name) {
        return client.anonymous().header(NODE_HEADER, token).post(HEARTBEAT, DeployClient.heartbeatBody(name));
    }

    private PrometheusText scrape() {
        return PrometheusText.parse(client.asAdmin().get("/actuator/prometheus").body());
    }

    @Test
    void theTokenEndpointHandsOutTheHmacOfTheNameWithWhichTheNodeHeartbeats() {
        String name = TestIds.nodeName("per-node");

        String token = client.nodeToken(name);

        assertThat(token).isEqualTo(hmacHex(TestTokens.NODE, name)).matches("[0-9a-f]{64}");
        JsonNode view = heartbeat(token, name).ok();
        assertThat(view.get("name").stringValue()).isEqualTo(name);
        assertThat(view.get("enabled").booleanValue()).isTrue();
        assertThat(client.node(name)).isEqualTo(view);
        assertThat(client.nodeToken(name)).as("the same token every time").isEqualTo(token);
    }

    @Test
    void theTokenAnswerIsNeverCached() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + NODE_TOKEN + "?name=rt-node-01"))
                .header(DeployClient.ADMIN_HEADER, TestTokens.ADMIN).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void anotherNodesTokenIs403NamingTheNodeCountedLoggedWithoutTheTokenAndChangesNothing(CapturedOutput output) {
        String victim = TestIds.nodeName("victim");
        String intruder = TestIds.nodeName("intruder");
        String fresh = TestIds.nodeName("never-registered");
        heartbeat(client.nodeToken(victim), victim).ok();
        String intruderToken = client.nodeToken(intruder);
        heartbeat(intruderToken, intruder).ok();
        JsonNode before = client.nodes();
        long lastAudit = audit.newestId();
        PrometheusText metricsBefore = scrape();
        Map<String, Object> hijack = DeployClient.heartbeatBody(victim);
        hijack.put("agentBaseUrl", "http://10.6.6.6:7005");

        DeployClient.Reply refused = client.anonymous().header(NODE_HEADER, intruderToken).post(HEARTBEAT, hijack);
        DeployClient.Reply refusedNew = heartbeat(intruderToken, fresh);

        assertThat(refused.error(403)).isEqualTo("X-RT-Node-Token is not the token of node '" + victim + "'");
        assertThat(refusedNew.error(403)).isEqualTo("X-RT-Node-Token is not the token of node '" + fresh + "'");
        assertThat(refused.body()).doesNotContain(intruderToken);
        assertThat(client.nodes()).isEqualTo(before);
        assertThat(client.hasNode(fresh)).isFalse();
        assertThat(audit.entriesAfter(lastAudit)).isEmpty();
        assertThat(scrape().counter("deploy_auth_failures_total", "group", "runtime_node_registry", "reason", "other_node_token"))
                .isEqualTo(metricsBefore.counter("deploy_auth_failures_total", "group", "runtime_node_registry",
                        "reason", "other_node_token") + 2);
        assertThat(output.getAll()).contains("refused heartbeat for node " + victim + " from 127.0.0.1: its X-RT-Node-Token "
                + "is not this node's token").doesNotContain(intruderToken).doesNotContain(TestTokens.NODE);
        assertThat(output.getAll().lines().filter(line -> line.contains("refused heartbeat for node " + victim)))
                .singleElement().asString().contains("WARN");
    }

    @ParameterizedTest
    @ValueSource(strings = {TestTokens.NODE, "not-a-token", "0040f91d423afcaed4563878a0c9c8b73c93de60b3c220c4b524c7f78aa55c16"})
    void theSharedSecretItselfOrAnyOtherValueIsNoNodesTokenAndCreatesNothing(String token) {
        String name = TestIds.nodeName("no-token-of-mine");
        JsonNode before = client.nodes();

        assertThat(heartbeat(token, name).error(403)).isEqualTo("X-RT-Node-Token is not the token of node '" + name + "'");

        assertThat(client.nodes()).isEqualTo(before);
    }

    @Test
    void aHeartbeatWithoutATokenIsStill401FromTheFilter() {
        String name = TestIds.nodeName("tokenless");
        JsonNode before = client.nodes();

        assertThat(client.anonymous().post(HEARTBEAT, DeployClient.heartbeatBody(name)).error(401))
                .isEqualTo("missing X-RT-Node-Token header");
        assertThat(client.anonymous().header(NODE_HEADER, "").post(HEARTBEAT, DeployClient.heartbeatBody(name)).error(401))
                .isEqualTo("missing X-RT-Node-Token header");

        assertThat(client.nodes()).isEqualTo(before);
    }

    @Test
    void tokensOfThePreviousSecretWorkUntilItsValidUntilAndThenGet403() {
        String name = TestIds.nodeName("rotating");
        String oldToken = hmacHex(OLD_SECRET, name);
        String newToken = client.nodeToken(name);
        assertThat(newToken).isNotEqualTo(oldToken);

        clock.set(OLD_SECRET_VALID_UNTIL.minusMillis(1));
        assertThat(heartbeat(oldToken, name).ok().get("lastHeartbeatAtMs").longValue()).isEqualTo(nowMs());
        clock.set(OLD_SECRET_VALID_UNTIL);
        JsonNode before = client.node(name);

        assertThat(heartbeat(oldToken, name).error(403)).isEqualTo("X-RT-Node-Token is not the token of node '" + name + "'");
        assertThat(client.node(name)).isEqualTo(before);
        clock.advance(Duration.ofSeconds(1));
        assertThat(heartbeat(newToken, name).ok().get("lastHeartbeatAtMs").longValue()).isEqualTo(nowMs());
    }

    @Test
    void askingForATokenIsAuditedWithoutTheTokenAndNeverLogsIt(CapturedOutput output) {
        String name = TestIds.nodeName("audited-token");
        long last = audit.newestId();

        String token = client.nodeToken(name);

        List<JsonNode> entries = audit.entriesAfter(last);
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).get("action").stringValue()).isEqualTo("token");
        assertThat(entries.get(0).get("request").stringValue()).isEqualTo("?name=" + name);
        assertThat(entries.get(0).get("status").intValue()).isEqualTo(200);
        assertThat(entries.get(0).get("outcome").stringValue()).isEqualTo("ok");
        assertThat(entries.get(0).toString()).doesNotContain(token);
        assertThat(output.getAll()).contains("admin token from 127.0.0.1").doesNotContain(token);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-leading-dash", "has%20space", "caf%C3%A9", "slash%2Finside"})
    void anInvalidNameIs400LikeEveryOtherNameParameterAndIsAuditedAsRefused(String name) {
        long last = audit.newestId();

        String message = client.asAdmin().get(NODE_TOKEN + "?name=" + name).error(400);

        assertThat(message).isEqualTo("name must be 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit");
        List<JsonNode> entries = audit.entriesAfter(last);
        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.get("action").stringValue()).isEqualTo("token");
            assertThat(entry.get("status").intValue()).isEqualTo(400);
            assertThat(entry.get("outcome").stringValue()).isEqualTo(message);
        });
    }

    @Test
    void aMissingNameIs400AndOnlyTheAdminTokenGetsAnAnswer() {
        assertThat(client.asAdmin().get(NODE_TOKEN).error(400)).isEqualTo("query parameter name is required");
        assertThat(client.asNode().get(NODE_TOKEN + "?name=rt-node-01").error(401)).isEqualTo("missing X-Admin-Token header");
        assertThat(client.asRunner().get(NODE_TOKEN + "?name=rt-node-01").error(401)).isEqualTo("missing X-Admin-Token header");
    }
}
