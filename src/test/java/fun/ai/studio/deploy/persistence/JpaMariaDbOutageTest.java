package fun.ai.studio.deploy.persistence;

import fun.ai.studio.deploy.apprun.AppRun;
import fun.ai.studio.deploy.apprun.AppRunRepository;
import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.node.RuntimeNodeRepository;
import fun.ai.studio.deploy.placement.PlacementRepository;
import fun.ai.studio.deploy.support.MariaDbTestDatabase;
import fun.ai.studio.deploy.support.NewNodes;
import fun.ai.studio.deploy.support.TcpForwarder;
import fun.ai.studio.deploy.web.GlobalExceptionHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.method.annotation.ExceptionHandlerMethodResolver;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * A database that goes away after start-up makes every repository call fail within max-wait with an exception
 * the web layer answers with 503 (the first one after waiting, the others at once while the breaker is open) and
 * turns readiness DOWN; the same instance works again, and is ready again, once the database is back.
 * The outage is simulated with a TCP relay in front of MariaDB. Runs when {@code DEPLOY_TEST_MARIADB=true}.
 */
@EnabledIfEnvironmentVariable(named = MariaDbTestDatabase.ENABLED_VARIABLE, matches = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JpaMariaDbOutageTest {

    // max-wait (2 s) plus slack for a loaded machine.
    private static final Duration FAILS_WITHIN = Duration.ofSeconds(6);
    private static final Duration WITHIN = Duration.ofSeconds(10);
    private static final Instant NOW = Instant.parse("2026-11-28T03:12:31.123Z");

    private MariaDbTestDatabase database;
    private TcpForwarder relay;
    private ConfigurableApplicationContext context;
    private RuntimeNodeRepository nodes;
    private PlacementRepository placements;
    private AppRunRepository runs;

    @BeforeAll
    void startBehindARelay() throws IOException {
        database = MariaDbTestDatabase.create();
        InetSocketAddress server = database.serverAddress();
        relay = TcpForwarder.start(server.getHostString(), server.getPort());
        Map<String, Object> properties = new HashMap<>(database.springProperties());
        properties.put("spring.datasource.url", database.jdbcUrlThroughLocalPort(relay.port()));
        context = JpaTestApplication.start(properties);
        nodes = context.getBean(RuntimeNodeRepository.class);
        placements = context.getBean(PlacementRepository.class);
        runs = context.getBean(AppRunRepository.class);
    }

    @AfterAll
    void stop() {
        try {
            if (context != null) {
                context.close();
            }
            if (relay != null) {
                relay.close();
            }
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    @Test
    void whileTheDatabaseIsDownReadsAndWritesFailFastWithAnErrorAnsweredWith503() {
        nodes.recordHeartbeat(heartbeat(), NewNodes.OPEN, NOW);
        Map<String, Runnable> calls = new LinkedHashMap<>();
        calls.put("findAll", nodes::findAll);
        // A known node's heartbeat is kept in memory through an outage; a new node's must be written.
        calls.put("recordHeartbeat", () -> nodes.recordHeartbeat(
                new Heartbeat("rt-node-new", "http://a:1", "http://b:2", null, null, null), NewNodes.OPEN, NOW).node());
        calls.put("placeIfAbsent", () -> placements.placeIfAbsent("app-1", 1, 1L));
        calls.put("save", () -> runs.save(new AppRun("app-1", 1L, "job-1", "RUNNING", null, null, 1L)));

        relay.cut();
        try {
            calls.forEach((name, call) -> {
                long started = System.nanoTime();
                Throwable failure = catchThrowable(call::run);
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                assertThat(failure).as(name + " while the database is down").isNotNull();
                assertThat(took).as(name + " took").isLessThan(FAILS_WITHIN);
                assertThat(handlerOf(failure)).as(name + " failed with " + failure)
                        .isEqualTo("databaseUnavailable");
            });
        } finally {
            restore();
        }
    }

    @Test
    void whenTheDatabaseIsBackTheSameInstanceWorksAgain() {
        relay.cut();
        try {
            assertThat(catchThrowable(nodes::findAll)).isNotNull();
        } finally {
            restore();
        }

        assertThat(nodes.recordHeartbeat(heartbeat(), NewNodes.OPEN, NOW).node().name()).isEqualTo("rt-node-01");
        assertThat(placements.placeIfAbsent("app-back", 1, 1L).placement().nodeId()).isEqualTo(1);
    }

    @Test
    void afterALongOutageServiceResumesWithinOnePoolTimeoutOfTheDatabasesReturn() {
        relay.cut();
        long until = System.nanoTime() + Duration.ofSeconds(12).toNanos();
        try {
            // Failing calls for this long push the pool's reconnect backoff to its 5 s ceiling.
            while (System.nanoTime() < until) {
                assertThat(catchThrowable(nodes::findAll)).isNotNull();
            }
        } finally {
            relay.restore();
        }
        long back = System.nanoTime();

        // Refused until the breaker's probe (every 500 ms) reaches the database; then served by a connection of
        // the call's own while the pool backs off.
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> nodes.findAll() != null);
        assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(Duration.ofMillis(4_500));
    }

    @Test
    void readinessIsDownWhileTheDatabaseIsDownAndUpWhenItIsBack() {
        HealthEndpoint health = context.getBean(HealthEndpoint.class);
        assertThat(health.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);

        relay.cut();
        try {
            // No call needs the database here: the breaker's check of an unused database finds the outage.
            await().atMost(WITHIN).until(() -> health.healthForPath("readiness").getStatus().equals(Status.DOWN));
            assertThat(health.healthForPath("liveness").getStatus()).isEqualTo(Status.UP);
        } finally {
            restore();
        }

        assertThat(health.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
    }

    /**
     * Ends the outage as a real one ends: a while after the last failed call, once the breaker's probe has seen
     * the database again. Hikari hands out a connection used within the last 500 ms without checking it, so a
     * connection the cut broke, touched just before the restore, could still be handed out once right after it;
     * a real outage outlasts that window.
     */
    private void restore() {
        relay.restore();
        HealthEndpoint health = context.getBean(HealthEndpoint.class);
        await().atMost(WITHIN).until(() -> health.healthForPath("readiness").getStatus().equals(Status.UP));
        try {
            // Elapsed time itself: nothing shows when Hikari's 500 ms unchecked-lending window has closed.
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The name of the GlobalExceptionHandler method Spring MVC would pick for the failure. */
    private static String handlerOf(Throwable failure) {
        Method method = new ExceptionHandlerMethodResolver(GlobalExceptionHandler.class).resolveMethodByThrowable(failure);
        return method == null ? null : method.getName();
    }

    private static Heartbeat heartbeat() {
        return new Heartbeat("rt-node-01", "http://a:1", "http://b:2", null, null, null);
    }
}
