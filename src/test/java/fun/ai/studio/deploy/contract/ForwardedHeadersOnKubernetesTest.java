package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.DeployApplication;
import fun.ai.studio.deploy.node.RuntimeNodeRepository;
import fun.ai.studio.deploy.placement.PlacementRepository;
import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.DeployClient.Caller;
import fun.ai.studio.deploy.support.DeployClient.Reply;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.HashMap;
import java.util.Map;

import static fun.ai.studio.deploy.support.DeployClient.ENSURE;
import static fun.ai.studio.deploy.support.DeployClient.HEARTBEAT;
import static fun.ai.studio.deploy.support.DeployClient.NODE_LIST;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service as a Kubernetes pod: the {@code KUBERNETES_SERVICE_*} variables every pod has make Boot detect the
 * platform, which by default turns on Tomcat's RemoteIpValve, and that believes {@code X-Forwarded-For} from any
 * private-range peer such as this test's 127.0.0.1. Every group is limited to 10.2.0.0/24 and no proxy is
 * trusted, so a caller at 127.0.0.1 claiming to be 10.2.0.7 must be refused everywhere.
 */
class ForwardedHeadersOnKubernetesTest {

    private static final String FORGED = "10.2.0.7";

    private static ConfigurableApplicationContext context;
    private static DeployClient client;

    /** The process environment plus the two variables Kubernetes sets in every container. */
    private static final class PodEnvironment extends StandardEnvironment {

        @Override
        protected void customizePropertySources(MutablePropertySources sources) {
            super.customizePropertySources(sources);
            Map<String, Object> variables = new HashMap<>(getSystemEnvironment());
            variables.put("KUBERNETES_SERVICE_HOST", "10.96.0.1");
            variables.put("KUBERNETES_SERVICE_PORT", "443");
            sources.replace(SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    new SystemEnvironmentPropertySource(SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        }
    }

    @BeforeAll
    static void startInAPod() {
        context = new SpringApplicationBuilder(DeployApplication.class).environment(new PodEnvironment())
                .run("--server.port=0", "--" + TestTokens.ADMIN_PROPERTY, "--" + TestTokens.NODE_PROPERTY,
                        "--" + TestTokens.INTERNAL_PROPERTY, "--deploy.admin.allowed-ips=10.2.0.0/24",
                        "--deploy.runtime-node-registry.allowed-ips=10.2.0.0/24",
                        "--deploy.internal-api.allowed-ips=10.2.0.0/24");
        client = new DeployClient("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"),
                TestTokens.ADMIN, TestTokens.NODE, TestTokens.INTERNAL);
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void bootSeesKubernetesButForwardHeadersStayOff() {
        assertThat(CloudPlatform.getActive(context.getEnvironment())).isEqualTo(CloudPlatform.KUBERNETES);
        assertThat(context.getEnvironment().getProperty("server.forward-headers-strategy")).isEqualTo("none");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "X-Forwarded-For | " + FORGED,
            "X-Forwarded-For | 203.0.113.5, " + FORGED,
            "Forwarded       | for=" + FORGED,
            "Forwarded       | for=\"" + FORGED + ":1234\";proto=https",
            "X-Real-IP       | " + FORGED})
    void aForgedForwardingHeaderFromAnUntrustedPeerPassesNoAllowList(String header, String value) {
        String name = TestIds.nodeName("forged");
        String appId = TestIds.appId("forged");

        Reply list = client.asAdmin().header(header, value).get(NODE_LIST);
        Reply heartbeat = client.asNode().header(header, value).post(HEARTBEAT, DeployClient.heartbeatBody(name));
        Reply ensure = client.asRunner().header(header, value).post(ENSURE, Map.of("appId", appId));

        assertThat(list.error(403)).isEqualTo("source address 127.0.0.1 is not allowed to call the admin API"
                + " (see deploy.admin.allowed-ips)");
        assertThat(heartbeat.error(403)).isEqualTo("source address 127.0.0.1 is not allowed to call the heartbeat API"
                + " (see deploy.runtime-node-registry.allowed-ips)");
        assertThat(ensure.error(403)).isEqualTo("source address 127.0.0.1 is not allowed to call the internal API"
                + " (see deploy.internal-api.allowed-ips)");
        assertThat(context.getBean(RuntimeNodeRepository.class).findByName(name)).isEmpty();
        assertThat(context.getBean(PlacementRepository.class).find(appId)).isEmpty();
    }

    @Test
    void apiDocsAndSwaggerConfigDoNotEchoAForwardedHostFromAnUntrustedCaller() {
        Caller forger = client.anonymous().header("Forwarded", "host=evil.example;proto=https")
                .header("X-Forwarded-Host", "evil.example").header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Port", "8443").header("X-Forwarded-Prefix", "/evil");

        Reply config = forger.get("/v3/api-docs/swagger-config");
        Reply docs = forger.get("/v3/api-docs");

        assertThat(config.status()).isEqualTo(200);
        assertThat(config.json().get("oauth2RedirectUrl").stringValue())
                .isEqualTo("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")
                        + "/swagger-ui/oauth2-redirect.html");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().get("servers").get(0).get("url").stringValue())
                .isEqualTo("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
        assertThat(config.body() + docs.body()).doesNotContain("evil", "8443");
    }
}
