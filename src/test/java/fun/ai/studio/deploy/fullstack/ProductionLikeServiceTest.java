package fun.ai.studio.deploy.fullstack;

import fun.ai.studio.deploy.DeployApplication;
import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.DeployClient.Caller;
import fun.ai.studio.deploy.support.MutableClock;
import fun.ai.studio.deploy.support.PrometheusText;
import fun.ai.studio.deploy.support.TestClockConfiguration;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static fun.ai.studio.deploy.support.DeployClient.ENSURE;
import static fun.ai.studio.deploy.support.DeployClient.HEARTBEAT;
import static fun.ai.studio.deploy.support.DeployClient.SET_ENABLED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service configured as an operator would run it in production, state in memory: JSON (ECS) console logs,
 * behind a reverse proxy on the same host (127.0.0.1 is a trusted proxy), heartbeats accepted only from the
 * nodes' network 10.0.0.0/8, and automatic failover. Started and stopped by this class rather than cached by
 * the test framework, because the log format is global to the JVM: it is put back to plain text afterwards, so
 * applications started later in the same JVM log as they would on their own.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductionLikeServiceTest {

    private static final String XFF = "X-Forwarded-For";
    private static final String NODE_NETWORK_PEER = "10.20.30.40";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Set<String> systemPropertiesBefore;
    private ConfigurableApplicationContext context;
    private DeployClient client;
    private MutableClock clock;

    @BeforeAll
    void start() {
        systemPropertiesBefore = System.getProperties().stringPropertyNames();
        // Logback is configured once per JVM: while an application of another test class is cached, a new one
        // keeps its configuration unless the logging system is told to start over.
        LoggingSystem.get(getClass().getClassLoader()).cleanUp();
        context = new SpringApplicationBuilder(DeployApplication.class, TestClockConfiguration.class).run(
                "--server.port=0", "--deploy.runtime.persistence.enabled=false",
                "--" + TestTokens.ADMIN_PROPERTY, "--" + TestTokens.NODE_PROPERTY, "--" + TestTokens.INTERNAL_PROPERTY,
                "--logging.structured.format.console=ecs",
                "--deploy.security.trusted-proxies=127.0.0.1/32",
                "--deploy.runtime-node-registry.allowed-ips=10.0.0.0/8",
                "--deploy.runtime.placement.failover=auto",
                "--deploy.runtime.placement.failover-max-stale-fraction=1");
        client = new DeployClient("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"),
                TestTokens.ADMIN, TestTokens.NODE, TestTokens.INTERNAL);
        clock = context.getBean(MutableClock.class);
    }

    @AfterAll
    void stopAndPutPlainLogsBack(CapturedOutput output) {
        if (context != null) {
            context.close();
        }
        // Boot hands the log format to Logback as system properties and never overwrites one already set, so
        // CONSOLE_LOG_STRUCTURED_FORMAT would keep every later application in this JVM on JSON.
        System.getProperties().stringPropertyNames().stream().filter(name -> !systemPropertiesBefore.contains(name))
                .forEach(System::clearProperty);
        LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
        logging.cleanUp();
        logging.beforeInitialize();
        logging.initialize(new LoggingInitializationContext(new StandardEnvironment()), null, null);

        LoggerFactory.getLogger(getClass()).warn("plain-text logs again");
        assertThat(output.getAll().lines().filter(line -> line.contains("plain-text logs again")))
                .singleElement().satisfies(line -> assertThat(line).doesNotStartWith("{"));
    }

    @BeforeEach
    void everyEarlierNodeIsStaleAndFailoverIsPastItsStartUpHold() {
        clock.advance(Duration.ofDays(1));
    }

    private Caller node() {
        return client.asNode().header(XFF, NODE_NETWORK_PEER);
    }

    private long heartbeat(String name) {
        return node().post(HEARTBEAT, DeployClient.heartbeatBody(name)).ok().get("nodeId").longValue();
    }

    private PrometheusText scrape() {
        return PrometheusText.parse(client.asAdmin().get("/actuator/prometheus").body());
    }

    @Test
    void eachAuditLogLineIsOneJsonObjectCarryingTheAuditFields(CapturedOutput output) {
        String name = TestIds.nodeName("ecs");
        heartbeat(name);

        String answer = client.asAdmin().header(XFF, "198.51.100.23")
                .post(SET_ENABLED + "?name=" + name + "&enabled=false").ok().stringValue();
        JsonNode entry = client.asAdmin().get("/admin/audit?limit=1").ok().get("items").get(0);

        List<JsonNode> lines = output.getAll().lines().filter(line -> line.contains("AuditService"))
                .map(line -> MAPPER.readTree(line)).toList();
        assertThat(lines).hasSize(1);
        JsonNode line = lines.get(0);
        assertThat(answer).isEqualTo("disabled");
        assertThat(field(line, "log.level").stringValue()).isEqualTo("INFO");
        assertThat(field(line, "log.logger").stringValue()).isEqualTo("fun.ai.studio.deploy.audit.AuditService");
        assertThat(field(line, "message").stringValue()).startsWith("admin set-enabled from 198.51.100.23: ");
        assertThat(field(line, "audit.id").asLong()).isEqualTo(entry.get("id").longValue());
        assertThat(field(line, "audit.action").stringValue()).isEqualTo("set-enabled");
        assertThat(field(line, "audit.client").stringValue()).isEqualTo("198.51.100.23");
        assertThat(field(line, "audit.request").stringValue()).isEqualTo("?name=" + name + "&enabled=false");
        assertThat(field(line, "audit.status").asInt()).isEqualTo(200);
        assertThat(field(line, "audit.outcome").stringValue()).isEqualTo("ok \"disabled\"");
        assertThat(entry.get("clientAddress").stringValue()).isEqualTo("198.51.100.23");
        assertThat(output.getAll()).doesNotContain(TestTokens.ADMIN).doesNotContain(TestTokens.NODE);
    }

    /** A dotted field, written either flat ({@code "audit.id"}) or nested ({@code "audit": {"id"}}). */
    private static JsonNode field(JsonNode line, String dotted) {
        if (line.has(dotted)) {
            return line.get(dotted);
        }
        JsonNode node = line;
        for (String part : dotted.split("\\.")) {
            node = node.path(part);
        }
        assertThat(node.isMissingNode()).as("%s in %s", dotted, line).isFalse();
        return node;
    }

    @Test
    void aHeartbeatFromOutsideTheNodesNetworkIsCountedAsForbiddenAndNotAsAHeartbeat() {
        PrometheusText before = scrape();
        String name = TestIds.nodeName("outsider");

        String message = client.asNode().post(HEARTBEAT, DeployClient.heartbeatBody(name)).error(403);
        client.asNode().header(XFF, "192.0.2.1").post(HEARTBEAT, DeployClient.heartbeatBody(name)).error(403);
        heartbeat(TestIds.nodeName("insider"));

        PrometheusText after = scrape();
        assertThat(message).isEqualTo("source address 127.0.0.1 is not allowed to call the heartbeat API"
                + " (see deploy.runtime-node-registry.allowed-ips)");
        assertThat(after.counter("deploy_auth_failures_total", "group", "runtime_node_registry", "reason", "forbidden"))
                .isEqualTo(before.counter("deploy_auth_failures_total", "group", "runtime_node_registry", "reason", "forbidden") + 2);
        assertThat(after.counter("deploy_heartbeats_total", "outcome", "accepted"))
                .isEqualTo(before.counter("deploy_heartbeats_total", "outcome", "accepted") + 1);
        assertThat(after.counter("deploy_heartbeats_total", "outcome", "invalid"))
                .isEqualTo(before.counter("deploy_heartbeats_total", "outcome", "invalid"));
        assertThat(client.hasNode(name)).isFalse();
    }

    @Test
    void anEnsureThatFailsOverCountsAsMovedAndAsOneAppMoved() {
        String from = TestIds.nodeName("failover-from");
        long fromId = heartbeat(from);
        String appId = TestIds.appId("failover");
        assertThat(client.ensure(appId).get("nodeId").longValue()).isEqualTo(fromId);
        long toId = heartbeat(TestIds.nodeName("failover-to"));
        client.setEnabled(from, false);
        PrometheusText before = scrape();

        JsonNode moved = client.ensure(appId);

        PrometheusText after = scrape();
        assertThat(moved.get("nodeId").longValue()).isEqualTo(toId);
        assertThat(moved.get("moved").booleanValue()).isTrue();
        assertThat(moved.get("previousNodeId").longValue()).isEqualTo(fromId);
        assertThat(after.counter("deploy_ensure_total", "outcome", "moved"))
                .isEqualTo(before.counter("deploy_ensure_total", "outcome", "moved") + 1);
        assertThat(after.counter("deploy_apps_moved_total")).isEqualTo(before.counter("deploy_apps_moved_total") + 1);
        for (String outcome : List.of("hit", "created", "conflict", "no_capacity")) {
            assertThat(after.counter("deploy_ensure_total", "outcome", outcome)).as(outcome)
                    .isEqualTo(before.counter("deploy_ensure_total", "outcome", outcome));
        }
        assertThat(client.ensure(appId).get("moved").booleanValue()).as("moved once, then a plain hit").isFalse();
        assertThat(client.asRunner().post(ENSURE, Map.of("appId", appId)).ok().get("nodeId").longValue()).isEqualTo(toId);
    }
}
