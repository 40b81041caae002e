package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.placement.NodeConditionRounds;
import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.MutableClock;
import fun.ai.studio.deploy.support.TestClockConfiguration;
import fun.ai.studio.deploy.support.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;

import java.time.Duration;
import java.time.Instant;

/**
 * The default configuration (state in memory) with known tokens and a hand-moved clock, served on a random
 * port. Subclasses that declare nothing of their own share one cached application context; those that add
 * settings with {@code @TestPropertySource} (a placement strategy, a failover mode) get one context per setting.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "deploy.runtime.persistence.enabled=false",
        "deploy.runtime-node-registry.heartbeat-stale-seconds=" + InMemoryContractTest.STALE_SECONDS,
        TestTokens.ADMIN_PROPERTY, TestTokens.NODE_PROPERTY, TestTokens.INTERNAL_PROPERTY})
@Import(TestClockConfiguration.class)
abstract class InMemoryContractTest {

    static final int STALE_SECONDS = 60;
    static final Duration STALE_AFTER = Duration.ofSeconds(STALE_SECONDS);

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    ApplicationContext context;

    DeployClient client;

    @BeforeEach
    void startWithNoPlaceableNode() {
        // The IP literal, not "localhost", so the server sees the peer 127.0.0.1 whatever the resolver prefers.
        client = new DeployClient("http://127.0.0.1:" + port, TestTokens.ADMIN, TestTokens.NODE, TestTokens.INTERNAL);
        // Nodes of earlier tests in this shared context go stale, so each test chooses among its own nodes only.
        clock.advance(Duration.ofDays(1));
        // Their node-stale entries are recorded now, not by the leader's loop within the next second, in the middle
        // of a test that reads the change feed.
        NodeConditionRounds.recordNow(context);
    }

    long nowMs() {
        return clock.millis();
    }

    Instant now() {
        return clock.instant();
    }
}
