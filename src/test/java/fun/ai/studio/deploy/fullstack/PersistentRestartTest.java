package fun.ai.studio.deploy.fullstack;

import fun.ai.studio.deploy.support.DeployClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With persistence on, everything acknowledged before a stop is read back through HTTP by a new application
 * started on the same database. Subclasses name the database.
 */
abstract class PersistentRestartTest {

    /** Datasource properties of a database that outlives one application. */
    abstract Map<String, Object> datasource();

    @Test
    void nodesPlacementsAndAppRunsSurviveARestart() {
        Map<String, Object> before;
        try (RunningService first = RunningService.start(datasource())) {
            DeployClient api = first.client();
            JsonNode alpha = api.heartbeat("rt-alpha");
            JsonNode beta = api.heartbeat("rt-beta");
            api.upsert(Map.of("name", "rt-gamma", "agentBaseUrl", "http://10.0.0.3:7005",
                    "gatewayBaseUrl", "https://gamma.example.com", "weight", 250, "enabled", false));
            api.setEnabled("rt-beta", false);
            JsonNode placed = api.ensure("App1");
            api.ensure("app1");
            api.reassign("app1", alpha.get("nodeId").asLong());
            api.report("App1", Map.of("jobId", "job-1", "status", "SUCCEEDED"));
            api.report("App1", Map.of("jobId", "job-2", "status", "FAILED", "error", "image pull failed"));

            before = Map.of("nodes", api.nodes(), "App1", api.placement("App1"), "app1", api.placement("app1"),
                    "run", api.app("App1"));
            assertThat(placed.get("nodeId").asLong()).isEqualTo(alpha.get("nodeId").asLong());
            assertThat(beta.get("enabled").asBoolean()).isTrue();
        }

        try (RunningService second = RunningService.start(datasource())) {
            DeployClient api = second.client();
            assertThat(api.nodes()).isEqualTo(before.get("nodes"));
            assertThat(api.placement("App1")).isEqualTo(before.get("App1"));
            assertThat(api.placement("app1")).isEqualTo(before.get("app1"));
            assertThat(api.app("App1")).isEqualTo(before.get("run"));

            JsonNode gamma = api.node("rt-gamma");
            assertThat(gamma.get("weight").asInt()).isEqualTo(250);
            assertThat(gamma.get("enabled").asBoolean()).isFalse();
            assertThat(api.node("rt-beta").get("enabled").asBoolean()).isFalse();
            JsonNode run = api.app("App1").get("run");
            assertThat(run.get("lastJobStatus").asString()).isEqualTo("FAILED");
            assertThat(run.get("lastError").asString()).isEqualTo("image pull failed");
            assertThat(run.get("lastDeployedAt").isNull()).isFalse();
            // The same app asked for again after the restart is still where it was, not placed anew.
            assertThat(api.ensure("App1").get("created").asBoolean()).isFalse();
        }
    }
}
