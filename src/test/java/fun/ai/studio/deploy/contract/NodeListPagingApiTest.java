package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.Json;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.ViewFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static fun.ai.studio.deploy.support.DeployClient.NODE_LIST;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keyset paging of the node list ({@code limit}, {@code afterNodeId} / {@code nextAfterNodeId}): the same views as
 * the plain list, in nodeId order, the plain list unchanged without the parameters, and the refusals.
 */
class NodeListPagingApiTest extends InMemoryContractTest {

    /** Registers {@code count} nodes after every node other tests left; returns the id before the first of them. */
    private long registerAfterTheOthers(String prefix, int count) {
        JsonNode all = client.nodes();
        long before = all.isEmpty() ? 0 : all.get(all.size() - 1).get("nodeId").longValue();
        for (int i = 0; i < count; i++) {
            client.heartbeat(TestIds.nodeName(prefix + "-" + i));
        }
        return before;
    }

    private static Long next(JsonNode page) {
        JsonNode next = page.get("nextAfterNodeId");
        return next.isNull() ? null : next.longValue();
    }

    private static List<JsonNode> items(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    @Test
    void pagesOf2WalkFiveNodesInNodeIdOrderWithTheViewsOfThePlainListAndTheLastPageHasNoNext() {
        long before = registerAfterTheOthers("paged", 5);
        client.reassign(TestIds.appId("paged"), before + 2);
        List<JsonNode> plain = items(client.nodes()).stream().filter(n -> n.get("nodeId").longValue() > before).toList();

        JsonNode first = client.nodesAfter(before, 2);
        JsonNode second = client.nodesAfter(next(first), 2);
        JsonNode third = client.nodesAfter(next(second), 2);

        assertThat(Json.fieldNames(first)).isEqualTo(ViewFields.NODE_PAGE);
        assertThat(Json.fieldNames(first.get("items").get(0))).isEqualTo(ViewFields.NODE_VIEW);
        assertThat(items(first.get("items"))).isEqualTo(plain.subList(0, 2));
        assertThat(next(first)).isEqualTo(before + 2);
        assertThat(items(second.get("items"))).isEqualTo(plain.subList(2, 4));
        assertThat(items(third.get("items"))).isEqualTo(plain.subList(4, 5));
        assertThat(Json.isExplicitNull(third, "nextAfterNodeId")).isTrue();
        assertThat(first.get("items").get(1).get("placementCount").longValue()).isEqualTo(1);
    }

    @Test
    void aPageEndingOnTheLastNodeSaysThereIsNoNextAndAPageAfterItIsEmpty() {
        long before = registerAfterTheOthers("exact", 2);

        JsonNode exact = client.nodesAfter(before, 2);
        JsonNode beyond = client.nodesAfter(before + 2, 2);

        assertThat(exact.get("items").size()).isEqualTo(2);
        assertThat(Json.isExplicitNull(exact, "nextAfterNodeId")).isTrue();
        assertThat(beyond.get("items").isEmpty()).isTrue();
        assertThat(Json.isExplicitNull(beyond, "nextAfterNodeId")).isTrue();
    }

    @Test
    void limitAloneStartsAtTheFirstNodeAndAfterNodeIdAloneTakesPagesOf200() {
        registerAfterTheOthers("defaults", 1);
        List<JsonNode> plain = items(client.nodes());

        JsonNode firstOne = client.nodesAfter(null, 1);
        JsonNode fromZero = client.asAdmin().get(NODE_LIST + "?afterNodeId=0").ok();

        assertThat(items(firstOne.get("items"))).containsExactly(plain.get(0));
        assertThat(items(fromZero.get("items"))).isEqualTo(plain.subList(0, Math.min(200, plain.size())));
        assertThat(fromZero.get("nextAfterNodeId").isNull()).isEqualTo(plain.size() <= 200);
    }

    @Test
    void withoutPagingParametersTheListIsStillThePlainArrayOfEveryNode() {
        registerAfterTheOthers("plain", 3);

        JsonNode data = client.asAdmin().get(NODE_LIST).ok();

        assertThat(data.isArray()).isTrue();
        List<JsonNode> walked = new ArrayList<>();
        Long after = null;
        do {
            JsonNode page = client.nodesAfter(after, 2000);
            page.get("items").forEach(walked::add);
            after = next(page);
        } while (after != null);
        assertThat(walked).isEqualTo(items(data));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "limit=0                  | limit must be between 1 and 2000",
            "limit=2001               | limit must be between 1 and 2000",
            "limit=-5                 | limit must be between 1 and 2000",
            "limit=ten                | limit must be an integer",
            "limit=5&afterNodeId=-1   | afterNodeId must be 0 or more",
            "afterNodeId=-1           | afterNodeId must be 0 or more",
            "afterNodeId=first        | afterNodeId must be an integer",
            "afterNodeId=1.5          | afterNodeId must be an integer",
            "afterNodeId=99999999999999999999 | afterNodeId must be an integer"})
    void aBadPagingParameterIs400NamingItAndChangesNothing(String query, String expected) {
        registerAfterTheOthers("bad-page", 1);
        JsonNode before = client.nodes();

        String message = client.asAdmin().get(NODE_LIST + "?" + query).error(400);

        assertThat(message).isEqualTo(expected);
        assertThat(client.nodes()).isEqualTo(before);
    }
}
