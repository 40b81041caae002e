package fun.ai.studio.deploy.fullstack;

import fun.ai.studio.deploy.shared.Leadership;
import fun.ai.studio.deploy.support.MariaDbTestDatabase;
import fun.ai.studio.deploy.support.TcpForwarder;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Of the instances sharing a database exactly one leads, it shows in health details and the gauge, and when the
 * leader stops renewing its lease without releasing it (as after SIGKILL, or when it loses the database) another
 * instance leads within two lease periods. The leader is cut off by a proxy that swallows every byte, so it can
 * neither renew nor let go. Runs when {@code DEPLOY_TEST_MARIADB=true}.
 */
@EnabledIfEnvironmentVariable(named = MariaDbTestDatabase.ENABLED_VARIABLE, matches = "true")
class LeaderElectionMariaDbTest {

    private static final Duration LEASE = Duration.ofSeconds(10);

    private final MariaDbTestDatabase database = MariaDbTestDatabase.create();
    private TcpForwarder toFirst;
    private RunningService first;
    private RunningService second;

    @AfterEach
    void stop() throws Exception {
        if (toFirst != null) {
            toFirst.cut();
        }
        try (MariaDbTestDatabase db = database; TcpForwarder proxy = toFirst; RunningService a = first;
             RunningService b = second) {
            // try-with-resources closes all of them, even when one close fails
        }
    }

    private static boolean leads(RunningService service) {
        return service.bean(Leadership.class).isLeader();
    }

    @Test
    void oneInstanceLeadsAndAnotherTakesOverWithinTwoLeasesOnceItStopsRenewing() throws Exception {
        toFirst = TcpForwarder.start(database.serverAddress().getHostString(), database.serverAddress().getPort());
        Map<String, Object> throughProxy = new HashMap<>(database.springProperties());
        throughProxy.put("spring.datasource.url", database.jdbcUrlThroughLocalPort(toFirst.port()));
        first = RunningService.start(throughProxy);
        await().atMost(LEASE).until(() -> leads(first));
        second = RunningService.start(database.springProperties());

        JsonNode health = second.client().asAdmin().get("/actuator/health").json();
        assertThat(health.at("/components/leadership/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/leadership/details/leader").asBoolean()).isFalse();
        assertThat(first.client().asAdmin().get("/actuator/health").json()
                .at("/components/leadership/details/leader").asBoolean()).isTrue();
        assertThat(second.bean(MeterRegistry.class).get("deploy.leader").gauge().value()).isZero();
        assertThat(first.bean(MeterRegistry.class).get("deploy.leader").gauge().value()).isEqualTo(1);

        long cutAt = System.nanoTime();
        toFirst.blackhole();
        await().atMost(LEASE.multipliedBy(2)).pollInterval(Duration.ofMillis(100)).until(() -> leads(second));
        Duration takeover = Duration.ofNanos(System.nanoTime() - cutAt);

        assertThat(takeover).as("took over after %s", takeover).isLessThanOrEqualTo(LEASE.multipliedBy(2));
        assertThat(second.bean(MeterRegistry.class).get("deploy.leader").gauge().value()).isEqualTo(1);
        // The cut-off instance learns it lost the lease when its renewal fails; it never leads beside the other.
        await().atMost(LEASE.multipliedBy(2)).until(() -> !leads(first));
    }
}
