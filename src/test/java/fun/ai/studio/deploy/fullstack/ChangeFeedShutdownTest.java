package fun.ai.studio.deploy.fullstack;

import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping an instance answers the watches waiting on it, so its graceful stop does not wait for them and their
 * consumers watch again at once (on another instance) instead of seeing the connection cut.
 */
class ChangeFeedShutdownTest {

    @Test
    void aStopAnswersEveryWaitingWatchWithWhatTheLogHoldsForIt() throws Exception {
        RunningService service = RunningService.start(Map.of(
                "spring.datasource.url", "jdbc:h2:mem:feed-shutdown;MODE=MySQL;DATABASE_TO_LOWER=TRUE;"
                        + "CASE_INSENSITIVE_IDENTIFIERS=TRUE",
                "spring.datasource.username", "sa", "spring.datasource.password", ""));
        CompletableFuture<HttpResponse<String>> watch;
        long after;
        try {
            service.client().heartbeat("shutdown-node");
            after = service.client().asRunner().get("/internal/changes?waitSeconds=0").ok().get("nextAfter").longValue();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port()
                            + "/internal/changes?waitSeconds=60&after=" + after))
                    .header(DeployClient.INTERNAL_HEADER, TestTokens.INTERNAL).build();
            watch = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
            MeterRegistry meters = service.bean(MeterRegistry.class);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> meters.get("deploy.changes.waiting").gauge().value() == 1);
            assertThat(watch).isNotDone();
        } finally {
            service.close();
        }

        assertThat(watch).as("answered while the application stopped").isDone();
        HttpResponse<String> answer = watch.get();
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode data = JsonMapper.builder().build().readTree(answer.body()).get("data");
        assertThat(data.get("items").isEmpty()).isTrue();
        assertThat(data.get("nextAfter").longValue()).isEqualTo(after);
    }
}
