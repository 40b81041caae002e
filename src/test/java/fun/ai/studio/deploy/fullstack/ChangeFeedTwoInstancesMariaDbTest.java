package fun.ai.studio.deploy.fullstack;

import fun.ai.studio.deploy.support.MariaDbTestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one MariaDB database share one change log: a watch on one is answered with a change made
 * through the other, and both instances give the same entries in the same order. Runs when
 * {@code DEPLOY_TEST_MARIADB=true}.
 */
@EnabledIfEnvironmentVariable(named = MariaDbTestDatabase.ENABLED_VARIABLE, matches = "true")
class ChangeFeedTwoInstancesMariaDbTest extends TwoInstancesOnMariaDb {

    private static long revision(RunningService service) {
        return Long.parseLong(service.client().asAdmin().get("/admin/runtime-nodes/list").revision());
    }

    private static List<String> apps(JsonNode page) {
        List<String> apps = new ArrayList<>();
        page.get("items").forEach(item -> apps.add(item.get("appId").asString()));
        return apps;
    }

    @Test
    void aWatchOnOneInstanceIsAnsweredWithAChangeMadeThroughTheOther() throws Exception {
        first.client().heartbeat("rt-feed-a");
        long revision = revision(second);
        CompletableFuture<JsonNode> watching = CompletableFuture.supplyAsync(() -> second.client().asRunner()
                .get("/internal/changes?after=" + revision + "&waitSeconds=20").ok());
        Thread.sleep(500); // lets the watch start waiting before the change it waits for
        long madeAt = System.nanoTime();
        first.client().ensure("app-feed-1");

        JsonNode page = watching.get(20, TimeUnit.SECONDS);
        System.out.printf("watch on the other instance answered %d ms after the change%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - madeAt));
        assertThat(apps(page)).containsExactly("app-feed-1");
        assertThat(page.get("items").get(0).get("kind").asString()).isEqualTo("placement-created");
    }

    @Test
    void bothInstancesGiveTheSameEntriesInTheSameOrder() {
        long revision = revision(first);
        for (int i = 0; i < 10; i++) {
            (i % 2 == 0 ? first : second).client().heartbeat("rt-feed-" + i);
        }
        String path = "/internal/changes?after=" + revision + "&waitSeconds=0";

        JsonNode onFirst = first.client().asRunner().get(path).ok();
        JsonNode onSecond = second.client().asRunner().get(path).ok();

        assertThat(onFirst.get("items").size()).isEqualTo(10);
        assertThat(onSecond).isEqualTo(onFirst);
    }
}
