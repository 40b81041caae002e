package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.apprun.AppRunRepository;
import fun.ai.studio.deploy.node.RuntimeNodeRepository;
import fun.ai.studio.deploy.placement.PlacementRepository;
import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.DeployClient.Caller;
import fun.ai.studio.deploy.support.DeployClient.Reply;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static fun.ai.studio.deploy.support.DeployClient.HEARTBEAT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin and internal APIs switched off, each behind an allow-list the caller is outside of; the heartbeat
 * API on, but only for 10.0.0.0/8 and 2001:db8::/32; a trusted proxy range the caller (127.0.0.1) is not in.
 * Shows that a switched-off group answers 404 before its allow-list and token are looked at, that an
 * allow-list answers 403 before the token is looked at, and that X-Forwarded-For from an untrusted peer is
 * ignored. State is read from the repositories because the admin API is off.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        TestTokens.ADMIN_PROPERTY, TestTokens.NODE_PROPERTY, TestTokens.INTERNAL_PROPERTY,
        "deploy.admin.enabled=false",
        "deploy.admin.allowed-ips=10.0.0.0/8",
        "deploy.internal-api.enabled=false",
        "deploy.internal-api.allowed-ips=10.0.0.0/8",
        "deploy.runtime-node-registry.allowed-ips=10.0.0.0/8, 2001:db8::/32",
        "deploy.security.trusted-proxies=10.9.0.0/16"})
class RestrictedAndSwitchedOffGroupsTest {

    @LocalServerPort
    int port;

    @Autowired
    RuntimeNodeRepository nodes;

    @Autowired
    PlacementRepository placements;

    @Autowired
    AppRunRepository runs;

    private DeployClient client;

    @BeforeEach
    void connectFromLoopback() {
        client = new DeployClient("http://127.0.0.1:" + port, TestTokens.ADMIN, TestTokens.NODE, TestTokens.INTERNAL);
    }

    private List<Function<DeployClient, Caller>> everyTokenChoice(String header) {
        return List.of(DeployClient::anonymous, c -> c.anonymous().header(header, "wrong-token-71ab"),
                DeployClient::asAdmin, DeployClient::asNode, DeployClient::asRunner);
    }

    @Test
    void heartbeatFromAnAddressOutsideTheAllowListIs403WhateverTheToken() {
        String name = TestIds.nodeName("outsider");

        for (Function<DeployClient, Caller> caller : everyTokenChoice(DeployClient.NODE_HEADER)) {
            Reply reply = caller.apply(client).post(HEARTBEAT, DeployClient.heartbeatBody(name));
            assertThat(reply.error(403)).isEqualTo("source address 127.0.0.1 is not allowed to call the heartbeat API"
                    + " (see deploy.runtime-node-registry.allowed-ips)");
            assertThat(reply.body()).doesNotContain("wrong-token-71ab").doesNotContain(TestTokens.NODE);
        }
        assertThat(nodes.findByName(name)).isEmpty();
    }

    @Test
    void forwardedForFromAPeerThatIsNotATrustedProxyIsIgnored() {
        String name = TestIds.nodeName("spoofer");

        String message = client.asNode().header("X-Forwarded-For", "10.1.2.3")
                .post(HEARTBEAT, DeployClient.heartbeatBody(name)).error(403);

        assertThat(message).contains("source address 127.0.0.1 ").doesNotContain("10.1.2.3");
        assertThat(nodes.findByName(name)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"GET, /admin/runtime-nodes/list", "POST, /admin/runtime-nodes/upsert",
            "POST, /admin/runtime-nodes/set-enabled?name=n1&enabled=true", "GET, /admin/runtime-nodes/placements?nodeId=1",
            "POST, /admin/runtime-nodes/reassign", "POST, /admin/runtime-nodes/drain", "GET, /admin/apps/app-1"})
    void switchedOffAdminApiIs404BeforeItsAllowListAndToken(String method, String pathAndQuery) {
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        Map<String, Object> body = Map.of("name", "n1", "agentBaseUrl", "http://10.0.0.1:7005",
                "gatewayBaseUrl", "http://10.0.0.1:8080", "appId", "app-1", "targetNodeId", 1, "sourceNodeId", 2);

        for (Function<DeployClient, Caller> caller : everyTokenChoice(DeployClient.ADMIN_HEADER)) {
            Caller from = caller.apply(client).header("X-Forwarded-For", "10.0.0.1");
            Reply reply = method.equals("GET") ? from.get(pathAndQuery) : from.post(pathAndQuery, body);
            assertThat(reply.error(404)).isEqualTo("no endpoint at " + path + " (the admin API is switched off)");
        }
        assertThat(nodes.findByName("n1")).isEmpty();
        assertThat(placements.find("app-1")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"POST, /internal/placements/ensure", "GET, /internal/placements/app-2", "POST, /internal/apps/app-2/report"})
    void switchedOffInternalApiIs404BeforeItsAllowListAndToken(String method, String path) {
        Map<String, Object> body = Map.of("appId", "app-2", "status", "FAILED");

        for (Function<DeployClient, Caller> caller : everyTokenChoice(DeployClient.INTERNAL_HEADER)) {
            Caller from = caller.apply(client);
            Reply reply = method.equals("GET") ? from.get(path) : from.post(path, body);
            assertThat(reply.error(404)).isEqualTo("no endpoint at " + path + " (the internal API is switched off)");
        }
        assertThat(placements.find("app-2")).isEmpty();
        assertThat(runs.find("app-2")).isEmpty();
    }

    @Test
    void healthEndpointsStayOpenWhenEveryGroupIsRestrictedOrOff() {
        assertThat(client.anonymous().get("/internal/health").ok().get("status").stringValue()).isEqualTo("UP");
        for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
            Reply reply = client.anonymous().get(probe);
            assertThat(reply.status()).as(probe).isEqualTo(200);
            assertThat(reply.json().get("status").stringValue()).as(probe).isEqualTo("UP");
        }
    }
}
