package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.DeployClient.Caller;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.Map;

import static fun.ai.studio.deploy.support.DeployClient.ENSURE;
import static fun.ai.studio.deploy.support.DeployClient.HEARTBEAT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service behind a reverse proxy: the test's own address (127.0.0.1) and 10.9.0.0/16 are trusted proxies,
 * so the client is the right-most X-Forwarded-For hop that is not one of them. The Runner may call from
 * 203.0.113.0/24, operators from 198.51.100.7 or 2001:db8::/64. The heartbeat registry is switched off, so
 * node health is UNKNOWN and no node is placeable.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        TestTokens.ADMIN_PROPERTY, TestTokens.NODE_PROPERTY, TestTokens.INTERNAL_PROPERTY,
        "deploy.security.trusted-proxies=127.0.0.1/32, ::1/128, 10.9.0.0/16",
        "deploy.internal-api.allowed-ips=203.0.113.0/24",
        "deploy.admin.allowed-ips=198.51.100.7, 2001:db8::/64",
        "deploy.runtime-node-registry.enabled=false",
        "deploy.runtime-node-registry.allowed-ips=192.0.2.0/24"})
class AccessBehindTrustedProxyTest {

    private static final String XFF = "X-Forwarded-For";

    @LocalServerPort
    int port;

    private DeployClient client;

    @BeforeEach
    void connectThroughTheProxy() {
        client = new DeployClient("http://127.0.0.1:" + port, TestTokens.ADMIN, TestTokens.NODE, TestTokens.INTERNAL);
    }

    private Caller operator() {
        return client.asAdmin().header(XFF, "198.51.100.7");
    }

    private JsonNode report(Caller runner, String appId) {
        return runner.post("/internal/apps/" + appId + "/report", Map.of("status", "QUEUED")).ok();
    }

    @Test
    void clientBehindATrustedProxyIsTheForwardedAddress() {
        String appId = TestIds.appId("proxied");

        JsonNode run = report(client.asRunner().header(XFF, "203.0.113.9"), appId);

        assertThat(run.get("appId").stringValue()).isEqualTo(appId);
    }

    @Test
    void rightMostHopThatIsNotATrustedProxyIsTheClient() {
        String appId = TestIds.appId("multi-hop");

        // The left-most entries are whatever the client wrote; only hops added by trusted proxies count.
        report(client.asRunner().header(XFF, "198.51.100.66, 203.0.113.9, 10.9.0.5"), appId);
        String spoofed = client.asRunner().header(XFF, "203.0.113.9, 198.51.100.66")
                .post("/internal/apps/" + appId + "/report", Map.of("status", "FAILED")).error(403);

        assertThat(spoofed).isEqualTo("source address 198.51.100.66 is not allowed to call the internal API"
                + " (see deploy.internal-api.allowed-ips)");
        assertThat(operator().get("/admin/apps/" + appId).ok().get("run").get("lastJobStatus").stringValue())
                .isEqualTo("QUEUED");
    }

    @Test
    void forwardedForHeadersAreReadAsOneListInOrder() {
        String appId = TestIds.appId("two-headers");

        JsonNode run = report(client.asRunner().header(XFF, "203.0.113.9").header(XFF, "10.9.0.5"), appId);
        String refused = client.asRunner().header(XFF, "203.0.113.9").header(XFF, "198.51.100.66")
                .post(ENSURE, Map.of("appId", appId)).error(403);

        assertThat(run.get("appId").stringValue()).isEqualTo(appId);
        assertThat(refused).contains("198.51.100.66");
    }

    @Test
    void withoutForwardedForTheProxyItselfIsTheClient() {
        String appId = TestIds.appId("direct");

        String message = client.asRunner().post("/internal/apps/" + appId + "/report", Map.of("status", "FAILED")).error(403);

        assertThat(message).contains("source address 127.0.0.1 ");
        operator().get("/admin/apps/" + appId).error(404);
    }

    @Test
    void allowListIsCheckedBeforeTheToken() {
        String appId = TestIds.appId("order");

        String outsiderWithWrongToken = client.anonymous().header(DeployClient.INTERNAL_HEADER, "wrong")
                .header(XFF, "198.51.100.66").post("/internal/apps/" + appId + "/report", Map.of("status", "FAILED")).error(403);
        String outsiderWithoutToken = client.anonymous().header(XFF, "198.51.100.66")
                .get("/internal/placements/" + appId).error(403);
        String insiderWithWrongToken = client.anonymous().header(DeployClient.INTERNAL_HEADER, "wrong")
                .header(XFF, "203.0.113.9").get("/internal/placements/" + appId).error(401);
        String insiderWithoutToken = client.anonymous().header(XFF, "203.0.113.9").get("/internal/placements/" + appId).error(401);

        assertThat(outsiderWithWrongToken).contains("198.51.100.66").contains("deploy.internal-api.allowed-ips");
        assertThat(outsiderWithoutToken).isEqualTo(outsiderWithWrongToken);
        assertThat(insiderWithWrongToken).isEqualTo("wrong X-Deploy-Secret");
        assertThat(insiderWithoutToken).isEqualTo("missing X-Deploy-Secret header");
        operator().get("/admin/apps/" + appId).error(404);
    }

    @Test
    void forwardingHeadersOfATrustedProxyReachTheApplication() {
        // springdoc builds the OAuth2 redirect URL from the Forwarded header; from an untrusted peer it is dropped.
        JsonNode config = client.anonymous().header("Forwarded", "host=deploy.example.com;proto=https")
                .get("/v3/api-docs/swagger-config").json();

        assertThat(config.get("oauth2RedirectUrl").stringValue())
                .isEqualTo("https://deploy.example.com/swagger-ui/oauth2-redirect.html");
    }

    @Test
    void ipv6ClientsAreMatchedAgainstIpv6Ranges() {
        JsonNode fromRange = client.asAdmin().header(XFF, "2001:db8::42").get(DeployClient.NODE_LIST).ok();
        String outside = client.asAdmin().header(XFF, "2001:db8:1::42").get(DeployClient.NODE_LIST).error(403);

        assertThat(fromRange.isArray()).isTrue();
        assertThat(outside).contains("2001:db8:1::42").contains("deploy.admin.allowed-ips");
    }

    @Test
    void switchedOffRegistryIs404EvenFromAnAllowedAddressWithTheRightToken() {
        String name = TestIds.nodeName("unheard");

        String message = client.asNode().header(XFF, "192.0.2.10").post(HEARTBEAT, DeployClient.heartbeatBody(name)).error(404);
        String withoutToken = client.anonymous().post(HEARTBEAT, DeployClient.heartbeatBody(name)).error(404);

        assertThat(message).isEqualTo("no endpoint at " + HEARTBEAT + " (the heartbeat API is switched off)");
        assertThat(withoutToken).isEqualTo(message);
        assertThat(operator().get(DeployClient.NODE_LIST).ok().toString()).doesNotContain(name);
    }

    @Test
    void healthIsUnknownAndNoNodeIsPlaceableWhileTheRegistryIsSwitchedOff() {
        String name = TestIds.nodeName("unjudged");
        JsonNode view = operator().post(DeployClient.UPSERT, Map.of("name", name, "agentBaseUrl", "http://10.0.0.1:7005",
                "gatewayBaseUrl", "http://10.0.0.1:8080")).ok();

        assertThat(view.get("health").stringValue()).isEqualTo("UNKNOWN");
        assertThat(view.get("placeable").booleanValue()).isFalse();
        String appId = TestIds.appId("unplaceable");
        String message = client.asRunner().header(XFF, "203.0.113.9").post(ENSURE, Map.of("appId", appId)).error(503);
        assertThat(message).contains("no placeable runtime node");
        operator().get("/admin/apps/" + appId).error(404);
    }
}
