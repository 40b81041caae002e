package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.DeployClient.Reply;
import fun.ai.studio.deploy.support.TestIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.core.env.Environment;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operators' view through Spring Boot Actuator with persistence off: the probes are open, readiness has no
 * database to follow, the {@code runtimeNodes} contributor counts the fleet from a snapshot at most five seconds
 * old and never takes the service out of rotation, info names the build, and shutdown is graceful.
 */
class ActuatorProbesTest extends InMemoryContractTest {

    private static final Duration SNAPSHOT_MAX_AGE = Duration.ofSeconds(5);

    @Autowired
    Environment environment;

    @Autowired
    HealthEndpointGroups healthGroups;

    /** What an operator sees: components and details need the admin token. */
    private JsonNode health() {
        Reply reply = client.asAdmin().get("/actuator/health");
        assertThat(reply.status()).as("GET /actuator/health: %s", reply.body()).isEqualTo(200);
        return reply.json();
    }

    private JsonNode runtimeNodes() {
        JsonNode contributor = health().path("components").path("runtimeNodes");
        assertThat(contributor.isObject()).as("runtimeNodes contributor in %s", contributor).isTrue();
        return contributor;
    }

    private static long count(JsonNode runtimeNodes, String enabled, String health) {
        return runtimeNodes.get("details").get(enabled).get(health).longValue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health/liveness", "/actuator/health/readiness"})
    void probesAnswer200UpWithoutAnyTokenAndIgnoreAWrongOne(String probe) {
        for (Reply reply : List.of(client.anonymous().get(probe),
                client.anonymous().header("X-Admin-Token", "wrong-token-5e1d").get(probe))) {
            assertThat(reply.status()).as(probe).isEqualTo(200);
            assertThat(reply.json().get("status").stringValue()).as(probe).isEqualTo("UP");
        }
    }

    @Test
    void withPersistenceOffNeitherReadinessNorHealthHasADatabaseComponent() {
        HealthEndpointGroup readiness = healthGroups.get("readiness");

        assertThat(readiness.isMember("readinessState")).isTrue();
        assertThat(readiness.isMember("db")).isFalse();
        assertThat(client.anonymous().get("/actuator/health/db").status()).isEqualTo(404);
        assertThat(health().get("components").propertyNames()).doesNotContain("db")
                .contains("livenessState", "readinessState", "runtimeNodes");
    }

    @Test
    void runtimeNodesCountsNodesByHealthAndEnabledFromASnapshotAtMostFiveSecondsOld() {
        // The clock moved a day before this test: every earlier node is stale and the snapshot is read afresh.
        JsonNode before = runtimeNodes();
        assertThat(count(before, "enabled", "healthy")).isZero();
        assertThat(count(before, "disabled", "healthy")).isZero();

        String healthy1 = TestIds.nodeName("rn-healthy");
        String healthy2 = TestIds.nodeName("rn-healthy");
        String healthyDisabled = TestIds.nodeName("rn-healthy-off");
        client.heartbeat(healthy1);
        client.heartbeat(healthy2);
        client.heartbeat(healthyDisabled);
        client.setEnabled(healthyDisabled, false);
        client.upsert(Map.of("name", TestIds.nodeName("rn-never"), "agentBaseUrl", "http://10.0.0.1:7005",
                "gatewayBaseUrl", "https://gw.example.com"));
        client.upsert(Map.of("name", TestIds.nodeName("rn-never-off"), "agentBaseUrl", "http://10.0.0.1:7005",
                "gatewayBaseUrl", "https://gw.example.com", "enabled", false));
        long target = client.node(healthy1).get("nodeId").longValue();
        client.reassign(TestIds.appId("rn-app"), target);
        client.reassign(TestIds.appId("rn-app"), target);

        assertThat(runtimeNodes()).as("read again within the same millisecond").isEqualTo(before);
        clock.advance(SNAPSHOT_MAX_AGE.minusMillis(1));
        assertThat(runtimeNodes()).as("read again 4.999 s later").isEqualTo(before);
        clock.advance(Duration.ofMillis(1));
        JsonNode after = runtimeNodes();

        assertThat(after.get("status").stringValue()).isEqualTo("UP");
        assertThat(after.get("details").propertyNames()).containsExactlyInAnyOrder("total", "enabled", "disabled", "placements");
        assertThat(after.get("details").get("total").longValue()).isEqualTo(before.get("details").get("total").longValue() + 5);
        assertThat(count(after, "enabled", "healthy")).isEqualTo(2);
        assertThat(count(after, "disabled", "healthy")).isEqualTo(1);
        assertThat(count(after, "enabled", "stale")).isEqualTo(count(before, "enabled", "stale") + 1);
        assertThat(count(after, "disabled", "stale")).isEqualTo(count(before, "disabled", "stale") + 1);
        assertThat(count(after, "enabled", "unknown")).isZero();
        assertThat(count(after, "disabled", "unknown")).isZero();
        assertThat(after.get("details").get("placements").longValue())
                .isEqualTo(before.get("details").get("placements").longValue() + 2);
    }

    @Test
    void runtimeNodesAndOverallHealthStayUpWhenEveryNodeIsStale() {
        client.heartbeat(TestIds.nodeName("rn-going-stale"));
        clock.advance(STALE_AFTER.plusSeconds(1));

        JsonNode health = health();
        JsonNode runtimeNodes = health.get("components").get("runtimeNodes");

        assertThat(count(runtimeNodes, "enabled", "healthy")).isZero();
        assertThat(count(runtimeNodes, "disabled", "healthy")).isZero();
        assertThat(count(runtimeNodes, "enabled", "stale")).isPositive();
        assertThat(runtimeNodes.get("status").stringValue()).isEqualTo("UP");
        assertThat(health.get("status").stringValue()).isEqualTo("UP");
        assertThat(client.anonymous().get("/actuator/health/readiness").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"})
    void anonymousCallersAndWrongTokensSeeTheStatusAlone(String path) {
        for (Reply reply : List.of(client.anonymous().get(path),
                client.anonymous().header("X-Admin-Token", "wrong-token-5e1d").get(path))) {
            assertThat(reply.status()).as(path).isEqualTo(200);
            assertStatusAlone(path, reply.json());
        }
    }

    /** The status and nothing else; Actuator always lists the probe groups' names at the root. */
    static void assertStatusAlone(String path, JsonNode health) {
        assertThat(health.get("status").stringValue()).as(path).isEqualTo("UP");
        if (path.equals("/actuator/health")) {
            assertThat(health.propertyNames()).as(path).containsExactlyInAnyOrder("status", "groups");
            assertThat(health.get("groups").values()).extracting(JsonNode::stringValue)
                    .containsExactly("liveness", "readiness");
        } else {
            assertThat(health.propertyNames()).as(path).containsExactly("status");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health/runtimeNodes", "/actuator/health/livenessState"})
    void aComponentIsNotFoundForAnonymousCallersAndShownToOperators(String path) {
        assertThat(client.anonymous().get(path).status()).isEqualTo(404);
        Reply operator = client.asAdmin().get(path);
        assertThat(operator.status()).isEqualTo(200);
        assertThat(operator.json().get("status").stringValue()).isEqualTo("UP");
    }

    @Test
    void infoNeedsTheAdminToken() {
        assertThat(client.anonymous().get("/actuator/info").error(401)).isEqualTo("missing X-Admin-Token header");
        assertThat(client.anonymous().header("X-Admin-Token", "wrong-token-5e1d").get("/actuator/info").error(401))
                .isEqualTo("wrong X-Admin-Token");
    }

    @Test
    void infoNamesTheBuildAndTheGitCommitToOperators() {
        Reply reply = client.asAdmin().get("/actuator/info");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode info = reply.json();
        assertThat(info.path("build").path("artifact").stringValue()).isEqualTo("fun-ai-studio-deploy");
        assertThat(info.path("build").path("version").stringValue()).isNotBlank();
        assertThat(info.path("git").path("commit").path("id").stringValue()).matches("[0-9a-f]{7,40}");
        assertThat(info.has("code")).as("actuator keeps its own format, not the envelope").isFalse();
    }

    @Test
    void shutdownIsGracefulAndWaitsAtMostTwentySecondsPerPhase() {
        Binder binder = Binder.get(environment);

        assertThat(binder.bind("server.shutdown", Shutdown.class).get()).isEqualTo(Shutdown.GRACEFUL);
        assertThat(binder.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class).get())
                .isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void theImageChecksLivenessAndRunsJavaAsPidOneSoItGetsTheStopSignal() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("Dockerfile"));
        String dockerfile = String.join("\n", lines).replace("\\\n", " ");

        List<String> healthchecks = dockerfile.lines().filter(line -> line.startsWith("HEALTHCHECK")).toList();
        assertThat(healthchecks).hasSize(1);
        assertThat(healthchecks.get(0)).contains("CMD curl -fsS").contains("/actuator/health/liveness");
        List<String> entrypoints = dockerfile.lines().filter(line -> line.startsWith("ENTRYPOINT")).toList();
        assertThat(entrypoints).as("exec form, so the launcher is PID 1 and hands that to java")
                .containsExactly("ENTRYPOINT [\"/app/launch.sh\"]");
        assertThat(Files.readString(Path.of("deploy/launch.sh"))).as("java replaces the launcher, keeping PID 1")
                .containsPattern("(?m)^exec \"\\$java\" ");
    }
}
