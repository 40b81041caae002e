package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.TestClockConfiguration;
import fun.ai.studio.deploy.support.TestIds;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;

import static fun.ai.studio.deploy.support.DeployClient.HEARTBEAT;
import static fun.ai.studio.deploy.support.DeployClient.NODE_HEADER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rotation of the shared node secret with an overlap: agents still sending the previous secret are accepted until
 * {@code previous-shared-secret-valid-until}, then refused with 401 like any wrong token.
 */
@TestPropertySource(properties = {
        "deploy.runtime-node-registry.previous-shared-secret=" + SharedSecretRotationApiTest.OLD_SECRET,
        "deploy.runtime-node-registry.previous-shared-secret-valid-until=" + SharedSecretRotationApiTest.VALID_UNTIL})
class SharedSecretRotationApiTest extends InMemoryContractTest {

    static final String OLD_SECRET = "old-node-secret-fedcba9876543210fedc";
    /** A hundred days after {@link TestClockConfiguration#START}: each test moves the clock one day. */
    static final String VALID_UNTIL = "2027-03-08T03:12:31.123Z";

    private DeployClient.Reply heartbeat(String token, String name) {
        return client.anonymous().header(NODE_HEADER, token).post(HEARTBEAT, DeployClient.heartbeatBody(name));
    }

    @Test
    void bothSecretsAreAcceptedUntilValidUntilAndAfterItOnlyTheNewOne() {
        Instant until = Instant.parse(VALID_UNTIL);
        String oldAgent = TestIds.nodeName("old-secret");
        String newAgent = TestIds.nodeName("new-secret");

        assertThat(heartbeat(OLD_SECRET, oldAgent).ok().get("name").stringValue()).isEqualTo(oldAgent);
        client.heartbeat(newAgent);
        clock.set(until.minusMillis(1));
        assertThat(heartbeat(OLD_SECRET, oldAgent).ok().get("lastHeartbeatAtMs").longValue()).isEqualTo(nowMs());

        clock.set(until);
        JsonNode before = client.nodes();
        assertThat(heartbeat(OLD_SECRET, oldAgent).error(401)).isEqualTo("wrong X-RT-Node-Token");
        assertThat(heartbeat(OLD_SECRET, TestIds.nodeName("too-late")).error(401)).isEqualTo("wrong X-RT-Node-Token");
        assertThat(client.nodes()).as("refused heartbeats change nothing").isEqualTo(before);

        clock.advance(Duration.ofSeconds(1));
        assertThat(client.heartbeat(newAgent).get("lastHeartbeatAtMs").longValue()).isEqualTo(nowMs());
    }

    @Test
    void thePreviousSecretOpensNothingButHeartbeats() {
        assertThat(client.anonymous().header(DeployClient.ADMIN_HEADER, OLD_SECRET).get(DeployClient.NODE_LIST).error(401))
                .isEqualTo("wrong X-Admin-Token");
        assertThat(client.anonymous().header(DeployClient.INTERNAL_HEADER, OLD_SECRET).get("/internal/placements/app-1")
                .error(401)).isEqualTo("wrong X-Deploy-Secret");
    }
}
