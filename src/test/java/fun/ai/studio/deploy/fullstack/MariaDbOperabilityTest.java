package fun.ai.studio.deploy.fullstack;

import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.DeployClient.Reply;
import fun.ai.studio.deploy.support.MariaDbTestDatabase;
import fun.ai.studio.deploy.support.TcpForwarder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Duration;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

import static fun.ai.studio.deploy.support.DeployClient.SET_ENABLED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Operability on MariaDB, each test on its own new schema; and an outage, simulated by cutting a TCP relay
 * between the application and the server: readiness goes DOWN while liveness stays UP, and readiness comes back
 * by itself once the relay is restored, and an admin mutation refused meanwhile answers 503 and is still logged.
 * Runs when {@code DEPLOY_TEST_MARIADB=true}.
 */
@EnabledIfEnvironmentVariable(named = MariaDbTestDatabase.ENABLED_VARIABLE, matches = "true")
@ExtendWith(OutputCaptureExtension.class)
class MariaDbOperabilityTest extends PersistentOperabilityTest {

    private MariaDbTestDatabase database;

    @BeforeEach
    void createSchema() {
        database = MariaDbTestDatabase.create();
    }

    @AfterEach
    void dropSchema() {
        database.close();
    }

    @Override
    Map<String, Object> datasource() {
        return database.springProperties();
    }

    @Test
    void readinessIsDownWhileTheDatabaseIsCutAndUpAgainOnceItIsBackWithoutARestart(CapturedOutput output)
            throws IOException {
        InetSocketAddress server = database.serverAddress();
        try (TcpForwarder relay = TcpForwarder.start(server.getHostString(), server.getPort())) {
            Map<String, Object> throughRelay = new HashMap<>(datasource());
            throughRelay.put("spring.datasource.url", database.jdbcUrlThroughLocalPort(relay.port()));
            try (RunningService service = RunningService.start(throughRelay)) {
                DeployClient api = service.client();
                api.heartbeat("rt-outage");
                api.setEnabled("rt-outage", true);
                health(api, "/actuator/health/readiness");
                JsonNode auditBefore = api.asAdmin().get(AUDIT).ok();

                relay.cut();
                try {
                    // No call needs the database yet: the breaker's check of an unused database finds the outage.
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                            assertThat(api.anonymous().get("/actuator/health/readiness").status()).isEqualTo(503));
                    Reply readiness = api.anonymous().get("/actuator/health/readiness");
                    assertThat(readiness.json().get("status").stringValue()).isEqualTo("DOWN");
                    health(api, "/actuator/health/liveness");
                    assertThat(api.asAdmin().post(SET_ENABLED + "?name=rt-outage&enabled=false").error(503))
                            .isEqualTo("database unavailable; retry later");
                } finally {
                    restore(relay, api);
                }

                health(api, "/actuator/health/readiness");
                assertThat(api.node("rt-outage").get("enabled").booleanValue()).as("the refused call changed nothing").isTrue();
                assertThat(api.asAdmin().get(AUDIT).ok()).as("nothing could be stored while the database was away")
                        .isEqualTo(auditBefore);
                assertThat(output.getAll()).as("the log line is the refused mutation's only record")
                        .contains("admin audit entry not stored")
                        .contains("admin set-enabled from 127.0.0.1: asked [?name=rt-outage&enabled=false] -> 503"
                                + " [database unavailable; retry later]");
            }
        }
    }

    /**
     * Ends the outage as a real one ends: once the breaker's probe has seen the database again, and a while after
     * the last failed call, past the 500 ms in which Hikari hands out a recently used connection without checking it.
     */
    private static void restore(TcpForwarder relay, DeployClient api) {
        relay.restore();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(api.anonymous().get("/actuator/health/readiness").status()).isEqualTo(200));
        try {
            // Elapsed time itself: nothing shows when Hikari's 500 ms unchecked-lending window has closed.
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
