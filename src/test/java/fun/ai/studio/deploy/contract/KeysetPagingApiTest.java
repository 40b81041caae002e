package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.Json;
import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.ViewFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static fun.ai.studio.deploy.support.DeployClient.PLACEMENTS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Paging a node's placements by keyset ({@code afterAppId} / {@code nextAfterAppId}): code-point order, the
 * last page, agreement with offset paging, and the refusals.
 */
class KeysetPagingApiTest extends InMemoryContractTest {

    // Characters an appId may hold, in an order that is not their code-point order, so sorting is visible.
    private static final String MIXED = "zA_a9B.b:Z-0";

    private long nodeWithApps(String prefix, int count, List<String> placed) {
        long node = client.heartbeat(TestIds.nodeName(prefix)).get("nodeId").longValue();
        String p = TestIds.appId(prefix) + "_";
        for (int i = 0; i < count; i++) {
            String appId = p + MIXED.charAt(i % MIXED.length()) + i;
            client.reassign(appId, node);
            placed.add(appId);
        }
        return node;
    }

    private static String next(JsonNode page) {
        JsonNode next = page.get("nextAfterAppId");
        return next.isNull() ? null : next.stringValue();
    }

    @Test
    void keysetPagesWalk250AppsInPagesOf100InCodePointOrderAndTheLastPageHasNoNext() {
        List<String> placed = new ArrayList<>();
        long node = nodeWithApps("keyset", 250, placed);
        List<String> expected = placed.stream().sorted().toList();

        JsonNode first = client.placementsAfter(node, null, 100);
        JsonNode second = client.placementsAfter(node, next(first), 100);
        JsonNode third = client.placementsAfter(node, next(second), 100);

        assertThat(Json.fieldNames(first)).isEqualTo(ViewFields.PLACEMENTS_PAGE);
        assertThat(Json.strings(first.get("items"), "appId")).isEqualTo(expected.subList(0, 100));
        assertThat(next(first)).isEqualTo(expected.get(99));
        assertThat(Json.strings(second.get("items"), "appId")).isEqualTo(expected.subList(100, 200));
        assertThat(next(second)).isEqualTo(expected.get(199));
        assertThat(Json.strings(third.get("items"), "appId")).isEqualTo(expected.subList(200, 250));
        assertThat(Json.isExplicitNull(third, "nextAfterAppId")).isTrue();
        for (JsonNode page : List.of(first, second, third)) {
            assertThat(page.get("total").longValue()).isEqualTo(250);
            assertThat(page.get("nodeId").longValue()).isEqualTo(node);
        }
    }

    @Test
    void keysetPagesAndOffsetPagesReturnTheSameItems() {
        List<String> placed = new ArrayList<>();
        long node = nodeWithApps("same-pages", 250, placed);

        List<JsonNode> byKeyset = new ArrayList<>();
        List<JsonNode> byOffset = new ArrayList<>();
        String after = null;
        for (int offset = 0; offset < 250; offset += 100) {
            JsonNode keysetPage = client.placementsAfter(node, after, 100);
            byKeyset.add(keysetPage.get("items"));
            byOffset.add(client.placements(node, offset, 100).get("items"));
            after = next(keysetPage);
        }

        assertThat(byKeyset).isEqualTo(byOffset);
        assertThat(byKeyset.stream().mapToInt(JsonNode::size).sum()).isEqualTo(250);
        assertThat(after).isNull();
    }

    @Test
    void aNodeHoldingExactlyTwoFullPagesSaysThereIsNoNextPageOnTheSecond() {
        List<String> placed = new ArrayList<>();
        long node = nodeWithApps("two-full-pages", 200, placed);

        JsonNode first = client.placementsAfter(node, null, 100);
        JsonNode second = client.placementsAfter(node, next(first), 100);

        assertThat(next(first)).isEqualTo(placed.stream().sorted().toList().get(99));
        assertThat(second.get("items").size()).isEqualTo(100);
        assertThat(Json.isExplicitNull(second, "nextAfterAppId")).isTrue();
        assertThat(Json.isExplicitNull(client.placements(node, 100, 100), "nextAfterAppId")).isTrue();
    }

    @Test
    void keysetPageStartsAfterAnAppIdThatIsNotPlacedThereAndIsEmptyAfterTheLastOne() {
        long node = client.heartbeat(TestIds.nodeName("gaps")).get("nodeId").longValue();
        String p = TestIds.appId("gaps") + "_";
        // Code-point order: A < App1 < B < a < app1 (App1 and app1 are two apps).
        List.of(p + "app1", p + "B", p + "a", p + "App1", p + "A").forEach(appId -> client.reassign(appId, node));

        JsonNode afterAb = client.placementsAfter(node, p + "Ab", 10);
        JsonNode afterUpperB = client.placementsAfter(node, p + "B", 2);
        JsonNode afterLast = client.placementsAfter(node, p + "app1", 10);
        JsonNode afterEverything = client.placementsAfter(node, p + "zzz", 10);

        assertThat(Json.strings(afterAb.get("items"), "appId")).containsExactly(p + "App1", p + "B", p + "a", p + "app1");
        assertThat(Json.strings(afterUpperB.get("items"), "appId")).containsExactly(p + "a", p + "app1");
        assertThat(afterLast.get("items").isEmpty()).isTrue();
        assertThat(Json.isExplicitNull(afterLast, "nextAfterAppId")).isTrue();
        assertThat(afterEverything.get("items").isEmpty()).isTrue();
        assertThat(afterEverything.get("total").longValue()).isEqualTo(5);
    }

    @Test
    void afterAppIdWithOffsetZeroIsAKeysetPage() {
        List<String> placed = new ArrayList<>();
        long node = nodeWithApps("offset-zero", 12, placed);
        String after = placed.stream().sorted().toList().get(4);

        JsonNode page = client.asAdmin().get(PLACEMENTS + "?nodeId=" + node + "&offset=0&afterAppId=" + after + "&limit=5").ok();

        assertThat(page).isEqualTo(client.placementsAfter(node, after, 5));
        assertThat(Json.strings(page.get("items"), "appId")).isEqualTo(placed.stream().sorted().toList().subList(5, 10));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 100})
    void afterAppIdTogetherWithANonZeroOffsetIs400AndChangesNothing(int offset) {
        List<String> placed = new ArrayList<>();
        long node = nodeWithApps("both-ways", 3, placed);
        JsonNode before = client.placements(node, 0, 10);

        String message = client.asAdmin()
                .get(PLACEMENTS + "?nodeId=" + node + "&offset=" + offset + "&afterAppId=" + placed.get(0)).error(400);

        assertThat(message).isEqualTo("use either offset or afterAppId, not both");
        assertThat(client.placements(node, 0, 10)).isEqualTo(before);
        assertThat(before.get("total").longValue()).isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"has%20space", "caf%C3%A9", "slash%2Finside", "bang!", "''"})
    void anInvalidAfterAppIdIs400NamingTheParameterAndChangesNothing(String afterAppId) {
        List<String> placed = new ArrayList<>();
        long node = nodeWithApps("bad-after", 3, placed);
        JsonNode before = client.placements(node, 0, 10);

        String message = client.asAdmin().get(PLACEMENTS + "?nodeId=" + node + "&afterAppId=" + afterAppId).error(400);

        assertThat(message).isEqualTo("afterAppId must be 1-128 characters of A-Z a-z 0-9 . _ : -");
        assertThat(client.placements(node, 0, 10)).isEqualTo(before);
        assertThat(Json.strings(before.get("items"), "appId")).isEqualTo(placed.stream().sorted().toList());
    }

    @Test
    void anAfterAppIdLongerThan128CharactersIs400AndChangesNothing() {
        List<String> placed = new ArrayList<>();
        long node = nodeWithApps("long-after", 2, placed);
        JsonNode before = client.placements(node, 0, 10);

        String message = client.asAdmin().get(PLACEMENTS + "?nodeId=" + node + "&afterAppId=" + "a".repeat(129)).error(400);

        assertThat(message).isEqualTo("afterAppId must be 1-128 characters of A-Z a-z 0-9 . _ : -");
        assertThat(client.placements(node, 0, 10)).isEqualTo(before);
        assertThat(before.get("total").longValue()).isEqualTo(2);
    }
}
