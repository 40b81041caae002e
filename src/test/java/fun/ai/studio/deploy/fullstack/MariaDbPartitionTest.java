package fun.ai.studio.deploy.fullstack;

import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.DeployClient.Reply;
import fun.ai.studio.deploy.support.MariaDbTestDatabase;
import fun.ai.studio.deploy.support.PrometheusText;
import fun.ai.studio.deploy.support.TcpForwarder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.SQLException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import static fun.ai.studio.deploy.fullstack.PersistentOperabilityTest.health;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A network partition between the service and MariaDB, simulated by a relay that swallows every byte both ways
 * (no connection is refused, nothing answers): the call that meets it ends within its bounds instead of hanging,
 * the breaker opens, and from then on calls that need the database are refused at once with 503, the envelope and
 * {@code Retry-After}, while heartbeats of known nodes are still answered from memory and readiness says DOWN from
 * the breaker's state. Once the relay relays again the probe closes the breaker by itself and the heartbeat times
 * acknowledged during the partition reach the table. Runs when {@code DEPLOY_TEST_MARIADB=true}.
 */
@EnabledIfEnvironmentVariable(named = MariaDbTestDatabase.ENABLED_VARIABLE, matches = "true")
class MariaDbPartitionTest {

    // The shipped bounds: max-wait 2 s, socket timeout 3 s. Each is far below "hangs until the database returns".
    private static final Duration MEETS_THE_PARTITION_WITHIN = Duration.ofSeconds(5);
    // A refused call waits on nothing; this only has to tell "at once" from "after a timeout" on a loaded machine.
    private static final Duration REFUSED_WITHIN = Duration.ofMillis(900);

    private MariaDbTestDatabase database;
    private TcpForwarder relay;
    private RunningService service;
    private DeployClient api;

    @BeforeEach
    void startBehindARelay() throws IOException {
        database = MariaDbTestDatabase.create();
        InetSocketAddress server = database.serverAddress();
        relay = TcpForwarder.start(server.getHostString(), server.getPort());
        Map<String, Object> throughRelay = new HashMap<>(database.springProperties());
        throughRelay.put("spring.datasource.url", database.jdbcUrlThroughLocalPort(relay.port()));
        service = RunningService.start(throughRelay);
        api = service.client();
    }

    @AfterEach
    void stop() {
        relay.restore();
        service.close();
        relay.close();
        database.close();
    }

    @Test
    void theShippedBoundsReachThePoolTheDriverAndTheTransactions() throws SQLException {
        HikariDataSource pool = service.bean(DataSource.class).unwrap(HikariDataSource.class);
        assertThat(pool.getConnectionTimeout()).as("max-wait 2 s less twice connect-timeout 500 ms").isEqualTo(1000);
        assertThat(pool.getDataSourceProperties()).containsEntry("connectTimeout", "500")
                .containsEntry("socketTimeout", "3000");
        assertThat(((AbstractPlatformTransactionManager) service.bean(PlatformTransactionManager.class))
                .getDefaultTimeout()).as("query-timeout, in seconds").isEqualTo(2);
    }

    @Test
    void aPartitionIsMetWithinTheBoundsThenRefusedAtOnceWhileKnownHeartbeatsAreKeptAndWrittenAfterwards() {
        api.heartbeat("rt-known");
        api.ensure("app-before");
        health(api, "/actuator/health/readiness");

        relay.blackhole();
        // Past the 500 ms in which Hikari lends a recently used connection unchecked: the first call meets the
        // partition on a pooled connection it must validate, as a call does after any pause.
        pause(Duration.ofMillis(700));
        Timed<Reply> first = timed(() -> api.asRunner().post("/internal/placements/ensure", Map.of("appId", "app-first")));
        assertThat(first.value().status()).as("the call that met the partition: %s", first.value().body()).isEqualTo(503);
        assertThat(first.elapsed()).as("it ended within its bounds").isLessThan(MEETS_THE_PARTITION_WITHIN);

        Timed<Reply> refused = timed(() -> api.asRunner().post("/internal/placements/ensure", Map.of("appId", "app-refused")));
        assertThat(refused.value().error(503)).isEqualTo("database unavailable; retry later");
        assertThat(refused.value().retryAfter()).isEqualTo("1");
        assertThat(refused.elapsed()).as("refused without waiting").isLessThan(REFUSED_WITHIN);

        Timed<Reply> newNode = timed(() -> api.asNode().post("/internal/runtime-nodes/heartbeat",
                DeployClient.heartbeatBody("rt-new")));
        assertThat(newNode.value().error(503)).as("a new node needs a write").isEqualTo("database unavailable; retry later");
        assertThat(newNode.elapsed()).isLessThan(REFUSED_WITHIN);

        Timed<Reply> known = timed(() -> api.asNode().post("/internal/runtime-nodes/heartbeat",
                DeployClient.heartbeatBody("rt-known")));
        assertThat(known.value().status()).as("a known node's heartbeat is kept in memory: %s", known.value().body())
                .isEqualTo(200);
        long acknowledgedAt = known.value().ok().get("lastHeartbeatAtMs").longValue();

        Timed<Reply> readiness = timed(() -> api.anonymous().get("/actuator/health/readiness"));
        assertThat(readiness.value().status()).as("readiness: %s", readiness.value().body()).isEqualTo(503);
        assertThat(readiness.value().json().get("status").stringValue()).isEqualTo("DOWN");
        assertThat(readiness.elapsed()).as("readiness comes from the breaker's state").isLessThan(REFUSED_WITHIN);
        health(api, "/actuator/health/liveness");

        PrometheusText meters = PrometheusText.parse(api.asAdmin().get("/actuator/prometheus").body());
        assertThat(meters.gauge("deploy_database_breaker_open")).isEqualTo(1.0);
        assertThat(meters.counter("deploy_database_breaker_trips_total")).isEqualTo(1.0);
        assertThat(meters.counter("deploy_database_breaker_refused_total")).isGreaterThanOrEqualTo(2.0);

        relay.restore();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> health(api, "/actuator/health/readiness"));
        assertThat(api.ensure("app-after").get("created").booleanValue()).isTrue();
        assertThat(api.asRunner().get("/internal/placements/app-refused").status())
                .as("the refused ensure stored nothing").isEqualTo(404);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(database.queryForString(
                "SELECT ROUND(UNIX_TIMESTAMP(last_heartbeat_at) * 1000) FROM fun_ai_deploy_runtime_node"
                        + " WHERE name = 'rt-known'"))
                .as("the heartbeat acknowledged during the partition is written once the database is back")
                .isEqualTo(Long.toString(acknowledgedAt)));
        assertThat(api.hasNode("rt-new")).as("the refused heartbeat registered nothing").isFalse();
    }

    private record Timed<T>(T value, Duration elapsed) {
    }

    private static <T> Timed<T> timed(Supplier<T> call) {
        long start = System.nanoTime();
        T value = call.get();
        return new Timed<>(value, Duration.ofNanos(System.nanoTime() - start));
    }

    private static void pause(Duration duration) {
        try {
            // Only for time that must pass (Hikari's unchecked-lending window), never to wait for an event.
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
