package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.DeployClient.Reply;
import fun.ai.studio.deploy.support.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;

import static org.assertj.core.api.Assertions.assertThat;

/** A separate management port asks for the same admin token as the main port, and shows anonymous callers status alone. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0", TestTokens.ADMIN_PROPERTY, TestTokens.NODE_PROPERTY, TestTokens.INTERNAL_PROPERTY})
class ManagementPortTest {

    @LocalManagementPort
    int managementPort;

    DeployClient management;

    @BeforeEach
    void connect() {
        management = new DeployClient("http://127.0.0.1:" + managementPort, TestTokens.ADMIN, TestTokens.NODE,
                TestTokens.INTERNAL);
    }

    @Test
    void prometheusMetricsAndInfoNeedTheAdminToken() {
        for (String path : new String[] {"/actuator/prometheus", "/actuator/metrics", "/actuator/info"}) {
            assertThat(management.anonymous().get(path).error(401)).as(path).isEqualTo("missing X-Admin-Token header");
            assertThat(management.anonymous().header("X-Admin-Token", "wrong-token-5e1d").get(path).error(401))
                    .as(path).isEqualTo("wrong X-Admin-Token");
            assertThat(management.asAdmin().get(path).status()).as(path).isEqualTo(200);
        }
    }

    @Test
    void probesAnswerAnonymouslyWithTheStatusAloneAndOperatorsSeeComponents() {
        for (String probe : new String[] {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"}) {
            Reply reply = management.anonymous().get(probe);
            assertThat(reply.status()).as(probe).isEqualTo(200);
            ActuatorProbesTest.assertStatusAlone(probe, reply.json());
        }
        assertThat(management.asAdmin().get("/actuator/health").json().get("components").has("runtimeNodes")).isTrue();
    }
}
