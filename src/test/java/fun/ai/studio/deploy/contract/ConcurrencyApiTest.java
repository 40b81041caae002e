package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.TestIds;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Concurrent first calls through HTTP: one node per name, one placement per app, one {@code created: true}. */
class ConcurrencyApiTest extends InMemoryContractTest {

    /** Runs {@code calls} copies of {@code call} released together, and returns their results. */
    private static List<JsonNode> together(int calls, Supplier<JsonNode> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls);
        try {
            CountDownLatch ready = new CountDownLatch(calls);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<JsonNode>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                Callable<JsonNode> task = () -> {
                    ready.countDown();
                    go.await();
                    return call.get();
                };
                futures.add(pool.submit(task));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<JsonNode> results = new ArrayList<>();
            for (Future<JsonNode> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fiftyConcurrentHeartbeatsForOneNewNameLeaveOneNode() throws Exception {
        String name = TestIds.nodeName("stampede");

        List<JsonNode> views = together(50, () -> client.asNode()
                .post(DeployClient.HEARTBEAT, DeployClient.heartbeatBody(name)).ok());

        assertThat(views).extracting(view -> view.get("nodeId").longValue()).containsOnly(views.get(0).get("nodeId").longValue());
        long named = 0;
        for (JsonNode node : client.nodes()) {
            named += name.equals(node.get("name").stringValue()) ? 1 : 0;
        }
        assertThat(named).isEqualTo(1);
        assertThat(client.node(name).get("enabled").booleanValue()).isTrue();
    }

    @Test
    void sixtyFourConcurrentFirstEnsureCallsAgreeOnOneNodeAndOnlyOneCreates() throws Exception {
        List<Long> nodes = List.of(
                client.heartbeat(TestIds.nodeName("race-a")).get("nodeId").longValue(),
                client.heartbeat(TestIds.nodeName("race-b")).get("nodeId").longValue(),
                client.heartbeat(TestIds.nodeName("race-c")).get("nodeId").longValue());
        String appId = TestIds.appId("contended");

        List<JsonNode> views = together(64, () -> client.asRunner()
                .post(DeployClient.ENSURE, Map.of("appId", appId)).ok());

        long expected = nodes.get(Math.floorMod(appId.hashCode(), nodes.size()));
        assertThat(views).extracting(view -> view.get("nodeId").longValue()).containsOnly(expected);
        assertThat(views).filteredOn(view -> view.get("created").booleanValue()).hasSize(1);
        long placed = 0;
        for (long node : nodes) {
            placed += client.placements(node, 0, 10).get("total").longValue();
        }
        assertThat(placed).isEqualTo(1);
    }
}
