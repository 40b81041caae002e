package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.node.RuntimeNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures how many of 100,000 apps would choose a different node when the fleet changes, per strategy, and
 * writes the table to {@code target/placement-movement.md} (the source of the table in docs/placement.md).
 */
class PlacementMovementReportTest {

    private static final int APPS = 100_000;

    @Test
    void rendezvousMovesOnlyTheShareOfTheChangedNodeWhileHashReshufflesMostApps() throws IOException {
        List<RuntimeNode> ten = fleet(10);
        List<RuntimeNode> withoutOne = new ArrayList<>(ten.subList(0, 9));
        List<RuntimeNode> withOneMore = fleet(11);
        List<RuntimeNode> oneDoubled = new ArrayList<>(ten);
        RuntimeNode last = ten.get(9);
        oneDoubled.set(9, new RuntimeNode(last.id(), last.name(), last.agentBaseUrl(), last.gatewayBaseUrl(), true,
                200, null, null, null, null));

        StringBuilder table = new StringBuilder(
                "| strategy | remove 1 of 10 nodes | add an 11th node | double one node's weight |\n|---|---|---|---|\n");
        Map<String, PlacementStrategy> strategies = Map.of("hash", new HashPlacementStrategy(),
                "weighted-rendezvous", new WeightedRendezvousStrategy());
        for (String name : List.of("hash", "weighted-rendezvous")) {
            PlacementStrategy strategy = strategies.get(name);
            double removed = movedShare(strategy, ten, withoutOne);
            double added = movedShare(strategy, ten, withOneMore);
            double doubled = movedShare(strategy, ten, oneDoubled);
            table.append(String.format(Locale.ROOT, "| %s | %.1f %% | %.1f %% | %.1f %% |%n", name,
                    100 * removed, 100 * added, 100 * doubled));
            if (name.equals("weighted-rendezvous")) {
                // Ideal movement: 1/10 of the apps leave, 1/11 join, and the doubled node gains 2/11 - 1/10.
                assertThat(removed).isBetween(0.09, 0.11);
                assertThat(added).isBetween(0.08, 0.10);
                assertThat(doubled).isBetween(0.07, 0.095);
            } else {
                assertThat(removed).isGreaterThan(0.5);
                assertThat(added).isGreaterThan(0.5);
            }
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "placement-movement.md"), table.toString());
    }

    private static double movedShare(PlacementStrategy strategy, List<RuntimeNode> before, List<RuntimeNode> after) {
        NodeLoads none = new NodeLoads(Map::of);
        int moved = 0;
        for (int i = 0; i < APPS; i++) {
            String appId = "app-" + i;
            if (strategy.choose(appId, before, none).orElseThrow().id() != strategy.choose(appId, after, none).orElseThrow().id()) {
                moved++;
            }
        }
        return moved / (double) APPS;
    }

    private static List<RuntimeNode> fleet(int size) {
        List<RuntimeNode> nodes = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            nodes.add(new RuntimeNode(i, "rt-node-" + i, "http://a", "https://g", true, 100, null, null, null, null));
        }
        return nodes;
    }
}
