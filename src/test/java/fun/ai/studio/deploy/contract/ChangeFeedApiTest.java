package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.placement.NodeConditionRounds;
import fun.ai.studio.deploy.support.DeployClient.Reply;
import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.TestIds;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The change feed over HTTP: list, then watch from the list's revision, and every change after it arrives in order
 * with its details; a watch waits for the next change without holding a request thread, ends empty when its
 * wait is over, and refuses bad parameters and the wrong token.
 */
class ChangeFeedApiTest extends InMemoryContractTest {

    private long listedRevision() {
        Reply list = client.asAdmin().get(DeployClient.NODE_LIST);
        list.ok();
        assertThat(list.revision()).as("the list carries X-Deploy-Revision").isNotNull();
        return Long.parseLong(list.revision());
    }

    private JsonNode changes(String path, long after, int waitSeconds) {
        return client.asRunner().get(path + "?after=" + after + "&waitSeconds=" + waitSeconds).ok();
    }

    private static List<String> kinds(JsonNode page) {
        List<String> kinds = new ArrayList<>();
        page.get("items").forEach(item -> kinds.add(item.get("kind").asString()));
        return kinds;
    }

    @Test
    void afterTheListsRevisionEveryChangeArrivesInOrderWithWhatItChanged() {
        long revision = listedRevision();
        String name = TestIds.nodeName("feed");
        long node = client.heartbeat(name).get("nodeId").longValue();
        long other = client.heartbeat(TestIds.nodeName("feed-b")).get("nodeId").longValue();
        String appId = TestIds.appId("feed");
        long placedOn = client.ensure(appId).get("nodeId").longValue();
        long target = placedOn == node ? other : node;
        client.reassign(appId, target);
        client.drain(target, placedOn, null);
        client.report(appId, Map.of("status", "SUCCEEDED", "jobId", "job-1"));
        client.setEnabled(name, false);

        JsonNode page = changes("/internal/changes", revision, 0);

        assertThat(kinds(page)).containsExactly("node-registered", "node-registered", "placement-created",
                "placement-moved", "placement-moved", "app-reported", "node-disabled");
        JsonNode items = page.get("items");
        for (int i = 0; i < items.size(); i++) {
            assertThat(items.get(i).get("revision").longValue()).isEqualTo(revision + 1 + i);
            assertThat(items.get(i).get("at").longValue()).isEqualTo(nowMs());
        }
        assertThat(items.get(0).get("nodeId").longValue()).isEqualTo(node);
        assertThat(items.get(2).get("appId").asString()).isEqualTo(appId);
        assertThat(items.get(2).get("toNodeId").longValue()).isEqualTo(placedOn);
        assertThat(items.get(3).get("fromNodeId").longValue()).isEqualTo(placedOn);
        assertThat(items.get(3).get("toNodeId").longValue()).isEqualTo(target);
        assertThat(items.get(3).get("reason").asString()).isEqualTo("reassign");
        assertThat(items.get(4).get("reason").asString()).isEqualTo("drain");
        assertThat(items.get(4).get("toNodeId").longValue()).isEqualTo(placedOn);
        assertThat(items.get(5).get("nodeId").longValue()).isEqualTo(placedOn);
        assertThat(page.get("nextAfter").longValue()).isEqualTo(revision + 7);
        assertThat(page.get("oldestAvailable").longValue()).isLessThanOrEqualTo(revision + 1);
        assertThat(client.asAdmin().get("/admin/changes?after=" + revision + "&waitSeconds=0").ok())
                .as("the admin feed gives the same").isEqualTo(page);
    }

    @Test
    void anOperatorsUpsertRecordsEachThingItChangedAndNothingWhenItChangedNothing() {
        String name = TestIds.nodeName("feed-upsert");
        long node = client.heartbeat(name).get("nodeId").longValue();
        long revision = listedRevision();
        Map<String, Object> changed = Map.of("name", name, "agentBaseUrl", "http://10.0.0.77:7005",
                "gatewayBaseUrl", "https://gw77.example.com", "weight", 250);
        client.upsert(changed);
        client.upsert(changed);
        client.upsert(Map.of("name", name, "agentBaseUrl", "http://10.0.0.77:7005",
                "gatewayBaseUrl", "https://gw77.example.com", "enabled", false));

        JsonNode page = changes("/internal/changes", revision, 0);

        assertThat(kinds(page)).containsExactly("node-urls-changed", "node-weight-changed", "node-disabled");
        page.get("items").forEach(item -> assertThat(item.get("nodeId").longValue()).isEqualTo(node));
    }

    @Test
    void aNodeTurningStaleAndHealthyAgainIsRecordedByTheLeadersLoopWithinASecond() {
        String name = TestIds.nodeName("feed-stale");
        long node = client.heartbeat(name).get("nodeId").longValue();
        // The node's first condition is stored before time moves, so the loop sees it turn STALE, not start so.
        NodeConditionRounds.recordNow(context);
        long revision = listedRevision();
        clock.advance(STALE_AFTER);

        JsonNode stale = changes("/internal/changes", revision, 10);
        client.heartbeat(name);
        JsonNode healthy = changes("/internal/changes", stale.get("nextAfter").longValue(), 10);

        assertThat(kinds(stale)).containsExactly("node-stale");
        assertThat(stale.at("/items/0/nodeId").longValue()).isEqualTo(node);
        assertThat(stale.at("/items/0/at").longValue()).isEqualTo(nowMs());
        assertThat(kinds(healthy)).containsExactly("node-healthy");
        assertThat(healthy.at("/items/0/nodeId").longValue()).isEqualTo(node);
    }

    @Test
    void aWatchIsAnsweredAsSoonAsAChangeCommitsAndEmptyWhenItsWaitEnds() throws Exception {
        long revision = listedRevision();
        CompletableFuture<JsonNode> watching = CompletableFuture.supplyAsync(() -> changes("/internal/changes",
                revision, 30));
        Thread.sleep(300); // lets the watch start waiting before the change it waits for
        String appId = TestIds.appId("watched");
        client.heartbeat(TestIds.nodeName("watched"));
        client.ensure(appId);

        JsonNode page = watching.get(10, TimeUnit.SECONDS);
        assertThat(kinds(page)).startsWith("node-registered");
        long next = page.get("nextAfter").longValue();

        JsonNode nothing = changes("/internal/changes", listedRevision(), 1);
        assertThat(nothing.get("items").isEmpty()).isTrue();
        assertThat(nothing.get("nextAfter").longValue()).isEqualTo(listedRevision());
        assertThat(next).isGreaterThan(revision);
    }

    @Test
    void waitingWatchesHoldNoRequestThread() throws Exception {
        long revision = listedRevision();
        // More waiting watches than the server has request threads (200): were each to hold one, the
        // heartbeat below would find none free.
        ExecutorService watchers = Executors.newFixedThreadPool(250);
        try {
            List<Future<Reply>> watches = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                watches.add(watchers.submit(() -> client.asRunner()
                        .get("/internal/changes?after=" + revision + "&waitSeconds=20")));
            }
            Thread.sleep(1_000); // lets the watches arrive and wait
            long node = client.heartbeat(TestIds.nodeName("busy")).get("nodeId").longValue();

            for (Future<Reply> watch : watches) {
                JsonNode first = watch.get(20, TimeUnit.SECONDS).ok().get("items").get(0);
                assertThat(first.get("kind").asString()).isEqualTo("node-registered");
                assertThat(first.get("nodeId").longValue()).isEqualTo(node);
            }
        } finally {
            watchers.shutdownNow();
        }
    }

    @Test
    void badParametersAre400AndTheWrongTokenIs401() {
        assertThat(client.asRunner().get("/internal/changes?after=-1").error(400)).isEqualTo("after must be 0 or more");
        assertThat(client.asRunner().get("/internal/changes?limit=0").error(400))
                .isEqualTo("limit must be between 1 and 1000");
        assertThat(client.asRunner().get("/internal/changes?limit=1001").error(400))
                .isEqualTo("limit must be between 1 and 1000");
        assertThat(client.asRunner().get("/internal/changes?waitSeconds=61").error(400))
                .isEqualTo("waitSeconds must be between 0 and 60");
        assertThat(client.asRunner().get("/internal/changes?after=abc").error(400)).isEqualTo("after must be an integer");
        assertThat(client.anonymous().get("/internal/changes").error(401)).contains("X-Deploy-Secret");
        assertThat(client.asRunner().get("/admin/changes").error(401)).contains("X-Admin-Token");
        assertThat(client.asAdmin().get("/internal/changes").error(401)).contains("X-Deploy-Secret");
    }
}
