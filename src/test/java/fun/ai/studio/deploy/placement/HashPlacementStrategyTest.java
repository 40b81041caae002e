package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.node.RuntimeNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class HashPlacementStrategyTest {

    private final HashPlacementStrategy strategy = new HashPlacementStrategy();

    private RuntimeNode choose(String appId, List<RuntimeNode> candidates) {
        return strategy.choose(appId, candidates, new NodeLoads(Map::of)).orElseThrow();
    }

    private static List<RuntimeNode> nodes(long... ids) {
        return LongStream.of(ids).mapToObj(id -> new RuntimeNode(id, "rt-" + id, "http://a:1", "http://b:2", true,
                100, null, null, null, null)).toList();
    }

    @Test
    void indexIsFloorModOfTheHashCode() {
        List<RuntimeNode> three = nodes(11, 12, 13);

        // "app-1".hashCode() is 93027205: 93027205 mod 3 = 1.
        assertThat("app-1".hashCode()).isEqualTo(93027205);
        assertThat(choose("app-1", three).id()).isEqualTo(12);
        // "rt-app-42".hashCode() is 282993557: mod 3 = 2.
        assertThat(choose("rt-app-42", three).id()).isEqualTo(13);
    }

    @Test
    void negativeHashCodesWrapAroundLikeFloorMod() {
        List<RuntimeNode> three = nodes(11, 12, 13);

        // -346056496: floorMod gives 2, while Math.abs(h) % 3 would give 1 and h % 3 would give -1.
        assertThat("shop:web".hashCode()).isEqualTo(-346056496);
        assertThat(choose("shop:web", three).id()).isEqualTo(13);
        // Integer.MIN_VALUE, whose Math.abs is still negative: floorMod gives 1.
        assertThat("polygenelubricants".hashCode()).isEqualTo(Integer.MIN_VALUE);
        assertThat(choose("polygenelubricants", three).id()).isEqualTo(12);
        assertThat(choose("polygenelubricants", nodes(1, 2, 3, 4, 5, 6, 7)).id()).isEqualTo(6);
    }

    @Test
    void equalHashCodesChooseTheSameNode() {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());

        assertThat(choose("Aa", nodes(1, 2, 3))).isEqualTo(choose("BB", nodes(1, 2, 3)));
    }

    @Test
    void singleCandidateIsAlwaysChosen() {
        List<RuntimeNode> one = nodes(99);

        for (String appId : List.of("a", "shop:web", "polygenelubricants", "x".repeat(128))) {
            assertThat(choose(appId, one).id()).isEqualTo(99);
        }
    }
}
