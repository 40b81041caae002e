package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.DeployClient.Reply;
import fun.ai.studio.deploy.support.TestIds;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A watch from before the retained window is answered 410 with the oldest revision kept, and changes nothing; a
 * watch beyond the number allowed to wait is answered 503 at once.
 */
@TestPropertySource(properties = {"deploy.changes.memory-entries=1000", "deploy.changes.max-waiting=2"})
class ChangeFeedRetentionApiTest extends InMemoryContractTest {

    @Test
    void aRevisionOlderThanTheRetainedWindowIs410WithTheOldestAvailable() {
        client.heartbeat(TestIds.nodeName("retained"));
        for (int i = 0; i < 1_001; i++) {
            client.ensure(TestIds.appId("retained"));
        }
        long latest = Long.parseLong(client.asAdmin().get("/admin/runtime-nodes/list").revision());
        long oldest = latest - 999;

        Reply gone = client.asRunner().get("/internal/changes?after=" + (oldest - 2) + "&waitSeconds=0");
        assertThat(gone.status()).isEqualTo(410);
        JsonNode envelope = gone.json();
        assertThat(envelope.get("code").intValue()).isEqualTo(410);
        assertThat(envelope.get("message").asString()).contains("no longer kept");
        assertThat(envelope.at("/data/oldestAvailable").longValue()).isEqualTo(oldest);

        JsonNode kept = client.asRunner().get("/internal/changes?after=" + (oldest - 1) + "&limit=1000&waitSeconds=0").ok();
        assertThat(kept.get("items").size()).isEqualTo(1_000);
        assertThat(kept.get("items").get(0).get("revision").longValue()).isEqualTo(oldest);
        assertThat(kept.get("nextAfter").longValue()).isEqualTo(latest);
        assertThat(Long.parseLong(client.asAdmin().get("/admin/runtime-nodes/list").revision())).isEqualTo(latest);
    }

    @Test
    void aRevisionThisLogNeverReachedIs410SoAConsumerOfAnEarlierLifeListsAgain() {
        long latest = Long.parseLong(client.asAdmin().get("/admin/runtime-nodes/list").revision());

        Reply ahead = client.asRunner().get("/internal/changes?after=" + (latest + 1_000) + "&waitSeconds=0");

        assertThat(ahead.status()).isEqualTo(410);
        assertThat(ahead.json().get("message").asString()).contains("newer than this log's newest");
        assertThat(client.asRunner().get("/internal/changes?after=" + latest + "&waitSeconds=0").ok()
                .get("items").isEmpty()).isTrue();
    }

    @Test
    void aWatchBeyondTheWaitingLimitIs503AtOnceAndTheWaitingOnesAreStillAnswered() throws Exception {
        long latest = Long.parseLong(client.asAdmin().get("/admin/runtime-nodes/list").revision());
        String watch = "/internal/changes?after=" + latest + "&waitSeconds=20";
        List<CompletableFuture<Reply>> waiting = List.of(
                CompletableFuture.supplyAsync(() -> client.asRunner().get(watch)),
                CompletableFuture.supplyAsync(() -> client.asRunner().get(watch)));
        Thread.sleep(1_000); // lets both arrive and wait

        assertThat(client.asRunner().get(watch).error(503)).contains("too many watches are waiting");

        long node = client.heartbeat(TestIds.nodeName("waited")).get("nodeId").longValue();
        for (CompletableFuture<Reply> reply : waiting) {
            assertThat(reply.get(20, TimeUnit.SECONDS).ok().get("items").get(0).get("nodeId").longValue())
                    .isEqualTo(node);
        }
    }
}
