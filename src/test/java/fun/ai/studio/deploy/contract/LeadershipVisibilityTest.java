package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.PrometheusText;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Alone in memory the instance leads; health details (admin only) and the gauge say so. */
class LeadershipVisibilityTest extends InMemoryContractTest {

    @Test
    void healthDetailsAndTheGaugeShowThatThisInstanceLeads() {
        JsonNode health = client.asAdmin().get("/actuator/health").json();
        assertThat(health.at("/components/leadership/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/leadership/details/leader").asBoolean()).isTrue();

        PrometheusText metrics = PrometheusText.parse(client.asAdmin().get("/actuator/prometheus").body());
        assertThat(metrics.gauge("deploy_leader")).isEqualTo(1.0);
    }

    @Test
    void withoutTheAdminTokenHealthShowsNoLeadership() {
        JsonNode health = client.anonymous().get("/actuator/health").json();

        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.has("components")).isFalse();
    }
}
