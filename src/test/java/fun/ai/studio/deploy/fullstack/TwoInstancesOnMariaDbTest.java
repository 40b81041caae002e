package fun.ai.studio.deploy.fullstack;

import fun.ai.studio.deploy.support.Concurrently;
import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.MariaDbTestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import static fun.ai.studio.deploy.support.DeployClient.NODE_LIST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application instances sharing one MariaDB database, called at once through HTTP, keep the contract's
 * promises between them. Runs when {@code DEPLOY_TEST_MARIADB=true}.
 */
@EnabledIfEnvironmentVariable(named = MariaDbTestDatabase.ENABLED_VARIABLE, matches = "true")
class TwoInstancesOnMariaDbTest extends TwoInstancesOnMariaDb {

    private DeployClient instance(int i) {
        return (i % 2 == 0 ? first : second).client();
    }

    @Test
    void fiftyConcurrentHeartbeatsForOneNewNameOnTwoInstancesLeaveOneNode() {
        List<JsonNode> views = Concurrently.run(50, i -> instance(i).heartbeat("rt-shared"));

        assertThat(views).extracting(v -> v.get("nodeId").asLong()).containsOnly(views.get(0).get("nodeId").asLong());
        long named = StreamSupport.stream(first.client().nodes().spliterator(), false)
                .filter(n -> n.get("name").asString().equals("rt-shared")).count();
        assertThat(named).isEqualTo(1);
        assertThat(second.client().node("rt-shared").get("nodeId").asLong()).isEqualTo(views.get(0).get("nodeId").asLong());
    }

    @Test
    void sixtyFourConcurrentFirstEnsuresOnTwoInstancesStoreOnePlacementAndAgree() {
        for (int n = 0; n < 5; n++) {
            first.client().heartbeat("rt-pool-" + n);
        }

        List<JsonNode> views = Concurrently.run(64, i -> instance(i).ensure("app-contended"));

        assertThat(views).extracting(v -> v.get("nodeId").asLong()).containsOnly(views.get(0).get("nodeId").asLong());
        assertThat(views).filteredOn(v -> v.get("created").asBoolean()).hasSize(1);
        assertThat(second.client().placement("app-contended").get("nodeId").asLong())
                .isEqualTo(views.get(0).get("nodeId").asLong());
    }

    @Test
    void pagesOfTheNodeListReadFromTheDatabaseMatchThePlainListAndBadValuesAre400() {
        for (int n = 0; n < 5; n++) {
            first.client().heartbeat("rt-page-" + n);
        }
        // The instance that made the change serves a list that already holds it.
        JsonNode plain = first.client().nodes();

        List<JsonNode> walked = new ArrayList<>();
        Long after = null;
        do {
            JsonNode page = second.client().nodesAfter(after, 2);
            assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
            page.get("items").forEach(walked::add);
            after = page.get("nextAfterNodeId").isNull() ? null : page.get("nextAfterNodeId").longValue();
        } while (after != null);

        assertThat(walked).isEqualTo(StreamSupport.stream(plain.spliterator(), false).toList());
        assertThat(second.client().asAdmin().get(NODE_LIST + "?limit=2001").error(400))
                .isEqualTo("limit must be between 1 and 2000");
        assertThat(second.client().asAdmin().get(NODE_LIST + "?afterNodeId=-1").error(400))
                .isEqualTo("afterNodeId must be 0 or more");
        assertThat(first.client().nodes()).isEqualTo(plain);
    }

    @Test
    void aNodeDisabledThroughOneInstanceTakesNoNewAppOnTheOtherWithinTheRefreshInterval() {
        first.client().disableEveryNode();
        first.client().heartbeat("rt-refresh-kept");
        first.client().heartbeat("rt-refresh-disabled");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                second.client().ensure("app-refresh-warm-" + System.nanoTime()).get("nodeName").stringValue())
                .startsWith("rt-refresh-"));

        first.client().setEnabled("rt-refresh-disabled", false);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (int i = 0; i < 10; i++) {
                assertThat(second.client().ensure("app-refresh-" + System.nanoTime()).get("nodeName").stringValue())
                        .isEqualTo("rt-refresh-kept");
            }
        });
    }
}
