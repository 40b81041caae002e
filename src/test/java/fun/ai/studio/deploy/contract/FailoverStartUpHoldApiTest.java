package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.MutableClock;
import fun.ai.studio.deploy.support.TestClockConfiguration;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;

import static fun.ai.studio.deploy.support.DeployClient.ENSURE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Automatic failover holds back during the first grace period after start-up, measured from the clock when the
 * context started ({@link TestClockConfiguration#START}). This class has a context of its own (a grace period
 * no other test uses) and a single test, because the test clock only moves forward.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "deploy.runtime.persistence.enabled=false",
        "deploy.runtime-node-registry.heartbeat-stale-seconds=60",
        "deploy.runtime.placement.failover=auto",
        "deploy.runtime.placement.failover-grace-seconds=" + FailoverStartUpHoldApiTest.GRACE_SECONDS,
        TestTokens.ADMIN_PROPERTY, TestTokens.NODE_PROPERTY, TestTokens.INTERNAL_PROPERTY})
@Import(TestClockConfiguration.class)
class FailoverStartUpHoldApiTest {

    static final int GRACE_SECONDS = 300;

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Test
    void failoverIsHeldWith409DuringTheFirstGracePeriodAfterStartUpAndMovesTheAppOnceItIsOver() {
        DeployClient client = new DeployClient("http://127.0.0.1:" + port, TestTokens.ADMIN, TestTokens.NODE,
                TestTokens.INTERNAL);
        assertThat(clock.instant()).as("nothing has moved the clock of this fresh context")
                .isEqualTo(TestClockConfiguration.START);
        String lostName = TestIds.nodeName("hold-lost");
        long lost = client.heartbeat(lostName).get("nodeId").longValue();
        String spareName = TestIds.nodeName("hold-spare");
        long spare = client.heartbeat(spareName).get("nodeId").longValue();
        String appId = TestIds.appId("hold-app");
        client.reassign(appId, lost);
        client.setEnabled(lostName, false);
        JsonNode before = client.placement(appId);

        String atStart = client.asRunner().post(ENSURE, Map.of("appId", appId)).error(409);
        clock.advance(Duration.ofSeconds(GRACE_SECONDS - 1));
        client.heartbeat(spareName);
        String justBeforeTheEnd = client.asRunner().post(ENSURE, Map.of("appId", appId)).error(409);

        for (String message : new String[] {atStart, justBeforeTheEnd}) {
            assertThat(message).isEqualTo("app '" + appId + "' is placed on node " + lost + " (" + lostName
                    + "), which is disabled; drain the node or reassign the app (automatic failover is held for the first "
                    + GRACE_SECONDS + " s after this service started, while nodes report in)");
        }
        assertThat(client.placement(appId)).isEqualTo(before);
        assertThat(client.placements(lost, 0, 1).get("total").longValue()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        JsonNode moved = client.ensure(appId);

        assertThat(moved.get("moved").booleanValue()).isTrue();
        assertThat(moved.get("previousNodeId").longValue()).isEqualTo(lost);
        assertThat(moved.get("nodeId").longValue()).isEqualTo(spare);
        assertThat(client.ensure(appId).get("moved").booleanValue()).isFalse();
    }
}
