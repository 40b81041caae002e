package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.node.NodeHealth;
import fun.ai.studio.deploy.node.NodeUpsert;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.support.NewNodes;
import fun.ai.studio.deploy.support.SeededRandomExtension;
import fun.ai.studio.deploy.shared.NoCapacityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Properties every placement strategy must keep, each checked over 100,000 appIds on generated fleets. The inputs
 * come from one seeded random per run, and a failure names the seed that replays it.
 */
@ExtendWith(SeededRandomExtension.class)
class PlacementStrategyPropertiesTest {

    static final int APPS = 100_000;
    // Few inputs per run, as each costs hundreds of thousands of placements; a new seed each run covers more.
    static final int FLEETS = 5;
    static final int REMOVALS = 3;
    private static final NodeFit DISK_AWARE_FIT = new NodeFit(15, 100);

    /** What one generated node looks like: its weight, state and reported figures. */
    record NodeSpec(int weight, boolean enabled, boolean fresh, boolean urls, Double diskFreePct, Integer containers) {
    }

    /** 1 to 12 nodes of weight 0 to 1000; most are usable, and any may lack a URL, a fresh heartbeat or figures. */
    private static List<NodeSpec> fleet(SplittableRandom random) {
        return IntStream.range(0, random.nextInt(1, 13))
                .mapToObj(i -> new NodeSpec(random.nextInt(0, 1001), threeInFour(random), threeInFour(random),
                        threeInFour(random), missingThreeInTen(random, random.nextInt(0, 1001) / 10.0),
                        missingThreeInTen(random, random.nextInt(0, 201))))
                .toList();
    }

    private static List<Integer> weights(SplittableRandom random, int minSize, int maxSize, int minWeight,
            int maxWeight) {
        return random.ints(random.nextInt(minSize, maxSize + 1), minWeight, maxWeight + 1).boxed().toList();
    }

    private static boolean threeInFour(SplittableRandom random) {
        return random.nextInt(4) != 0;
    }

    private static <T> T missingThreeInTen(SplittableRandom random, T value) {
        return random.nextDouble() < 0.3 ? null : value;
    }

    static List<Supplier<PlacementStrategy>> strategies() {
        return List.of(HashPlacementStrategy::new, WeightedRendezvousStrategy::new, LeastLoadedStrategy::new,
                () -> new DiskAwareStrategy(DISK_AWARE_FIT));
    }

    @Test
    void everyStrategyPlacesOnlyOnPlaceableNodesItAccepts(SplittableRandom random) {
        for (int f = 0; f < FLEETS; f++) {
            List<NodeSpec> fleet = fleet(random);
            for (Supplier<PlacementStrategy> supplier : strategies()) {
                PlacementStrategy strategy = supplier.get();
                String name = strategy.getClass().getSimpleName();
                PlacementFixture fixture = build(fleet, strategy);
                var now = fixture.clock.instant();
                int placed = 0;
                for (int i = 0; i < APPS; i++) {
                    String appId = "app-" + i;
                    try {
                        PlacementView view = fixture.placements.ensure(appId);
                        RuntimeNode node = fixture.nodeRepository.findById(view.nodeId()).orElseThrow();
                        assertThat(fixture.health.isPlaceable(node, now)).as("%s chose %s of %s", name, node, fleet)
                                .isTrue();
                        if (!(strategy instanceof HashPlacementStrategy)) {
                            assertThat(node.weight()).as("%s chose weight 0 of %s", name, fleet).isPositive();
                        }
                        if (strategy instanceof DiskAwareStrategy) {
                            assertThat(DISK_AWARE_FIT.fits(node)).as("disk-aware chose a full node %s of %s", node, fleet)
                                    .isTrue();
                        }
                        placed++;
                    } catch (NoCapacityException e) {
                        // No capacity is the only acceptable refusal, and only when no node may take apps at all.
                        assertThat(placed).as("%s placed some apps before refusing on %s", name, fleet).isZero();
                        assertThat(eligible(fixture, strategy)).as("%s refused with nodes eligible", name).isEmpty();
                        break;
                    }
                }
            }
        }
    }

    @Test
    void rendezvousIsDeterministicAndIgnoresNodeIds(SplittableRandom random) {
        for (int f = 0; f < FLEETS; f++) {
            List<Integer> weights = weights(random, 1, 12, 1, 1000);
            List<RuntimeNode> nodes = nodes(weights, 1);
            List<RuntimeNode> renumbered = nodes(weights, 1_000);
            NodeFit fit = new NodeFit(15, 0);
            for (PlacementStrategy strategy : List.of(new WeightedRendezvousStrategy(), new DiskAwareStrategy(fit))) {
                PlacementStrategy restarted = strategy instanceof DiskAwareStrategy ? new DiskAwareStrategy(fit)
                        : new WeightedRendezvousStrategy();
                for (int i = 0; i < APPS; i++) {
                    String appId = "app-" + i;
                    String first = strategy.choose(appId, nodes, noLoads()).orElseThrow().name();
                    assertThat(restarted.choose(appId, renumbered, noLoads()).orElseThrow().name())
                            .as("%s for %s on weights %s", strategy.getClass().getSimpleName(), appId, weights)
                            .isEqualTo(first);
                }
            }
        }
    }

    @Test
    void hashIsDeterministicAndFollowsTheContractRule(SplittableRandom random) {
        for (int f = 0; f < FLEETS; f++) {
            List<Integer> weights = weights(random, 1, 12, 0, 1000);
            List<RuntimeNode> nodes = nodes(weights, 1);
            PlacementStrategy strategy = new HashPlacementStrategy();
            for (int i = 0; i < APPS; i++) {
                String appId = "app-" + i;
                assertThat(strategy.choose(appId, nodes, noLoads()).orElseThrow())
                        .as("%s on weights %s", appId, weights)
                        .isEqualTo(nodes.get(Math.floorMod(appId.hashCode(), nodes.size())));
            }
        }
    }

    @Test
    void weightedSharesConvergeToWeightOverTotal(SplittableRandom random) {
        for (int f = 0; f < FLEETS; f++) {
            List<Integer> weights = weights(random, 2, 10, 1, 1000);
            List<RuntimeNode> nodes = nodes(weights, 1);
            double total = weights.stream().mapToInt(Integer::intValue).sum();
            for (PlacementStrategy strategy : List.of(new WeightedRendezvousStrategy(), new LeastLoadedStrategy(),
                    new DiskAwareStrategy(new NodeFit(15, 0)))) {
                Map<Long, Long> counts = new HashMap<>();
                NodeLoads loads = new NodeLoads(Map::of);
                for (int i = 0; i < APPS; i++) {
                    RuntimeNode chosen = strategy.choose("app-" + i, nodes, loads).orElseThrow();
                    counts.merge(chosen.id(), 1L, Long::sum);
                    loads.add(chosen.id());
                }
                for (RuntimeNode node : nodes) {
                    double share = counts.getOrDefault(node.id(), 0L) / (double) APPS;
                    assertThat(share).as("%s share of %s on weights %s", strategy.getClass().getSimpleName(),
                            node.name(), weights).isCloseTo(node.weight() / total, within(0.02));
                }
            }
        }
    }

    @Test
    void removingOneOfTenNodesMovesOnlyItsAppsUnderRendezvous(SplittableRandom random) {
        for (int r = 0; r < REMOVALS; r++) {
            int removed = random.nextInt(0, 10);
            List<RuntimeNode> ten = nodes(IntStream.range(0, 10).mapToObj(i -> 100).toList(), 1);
            List<RuntimeNode> nine = new ArrayList<>(ten);
            RuntimeNode gone = nine.remove(removed);
            PlacementStrategy rendezvous = new WeightedRendezvousStrategy();
            int moved = 0;
            int onGone = 0;
            for (int i = 0; i < APPS; i++) {
                String appId = "app-" + i;
                RuntimeNode before = rendezvous.choose(appId, ten, noLoads()).orElseThrow();
                RuntimeNode after = rendezvous.choose(appId, nine, noLoads()).orElseThrow();
                if (before.id() == gone.id()) {
                    onGone++;
                }
                if (before.id() != after.id()) {
                    moved++;
                    assertThat(before.id()).as("only apps of the removed node %s may move", gone.name())
                            .isEqualTo(gone.id());
                }
            }
            assertThat(moved).as("apps moved after removing %s", gone.name()).isEqualTo(onGone);
            assertThat(moved / (double) APPS).as("share moved after removing %s", gone.name())
                    .isCloseTo(0.1, within(0.02));
        }
    }

    @Test
    void removingOneOfTenNodesMovesMostAppsUnderHash(SplittableRandom random) {
        for (int r = 0; r < REMOVALS; r++) {
            int removed = random.nextInt(0, 10);
            List<RuntimeNode> ten = nodes(IntStream.range(0, 10).mapToObj(i -> 100).toList(), 1);
            List<RuntimeNode> nine = new ArrayList<>(ten);
            nine.remove(removed);
            PlacementStrategy hash = new HashPlacementStrategy();
            long moved = IntStream.range(0, APPS).mapToObj(i -> "app-" + i)
                    .filter(appId -> hash.choose(appId, ten, noLoads()).orElseThrow().id()
                            != hash.choose(appId, nine, noLoads()).orElseThrow().id())
                    .count();
            // The documented contrast: modulo placement reshuffles most apps when N changes.
            assertThat(moved / (double) APPS).as("share moved after removing node %d", removed).isGreaterThan(0.5);
        }
    }

    private static NodeLoads noLoads() {
        return new NodeLoads(Map::of);
    }

    private static List<RuntimeNode> nodes(List<Integer> weights, long firstId) {
        List<RuntimeNode> nodes = new ArrayList<>();
        for (int i = 0; i < weights.size(); i++) {
            nodes.add(new RuntimeNode(firstId + i, "rt-node-" + i, "http://a", "https://g", true, weights.get(i),
                    null, null, null, null));
        }
        return nodes;
    }

    private static PlacementFixture build(List<NodeSpec> fleet, PlacementStrategy strategy) {
        PlacementFixture fixture = new PlacementFixture(strategy);
        for (int i = 0; i < fleet.size(); i++) {
            NodeSpec spec = fleet.get(i);
            String name = "rt-node-" + i;
            if (spec.urls()) {
                fixture.heartbeat(name, spec.diskFreePct(), spec.containers());
            } else {
                fixture.nodeRepository.recordHeartbeat(new Heartbeat(name, "", "",
                        spec.diskFreePct(), null, spec.containers()), NewNodes.OPEN, fixture.clock.instant());
            }
            fixture.nodeRepository.upsert(new NodeUpsert(name,
                    fixture.nodeRepository.findByName(name).orElseThrow().agentBaseUrl(),
                    fixture.nodeRepository.findByName(name).orElseThrow().gatewayBaseUrl(),
                    spec.enabled(), spec.weight()), NewNodes.MAX, fixture.clock.instant());
        }
        fixture.clock.advance(Duration.ofSeconds(PlacementFixture.STALE_SECONDS / 2));
        for (int i = 0; i < fleet.size(); i++) {
            if (fleet.get(i).fresh() && fleet.get(i).urls()) {
                RuntimeNode node = fixture.nodeRepository.findByName("rt-node-" + i).orElseThrow();
                fixture.heartbeat(node.name(), node.diskFreePct(), node.containerCount());
            }
        }
        fixture.clock.advance(Duration.ofSeconds(PlacementFixture.STALE_SECONDS / 2));
        return fixture;
    }

    private static List<RuntimeNode> eligible(PlacementFixture fixture, PlacementStrategy strategy) {
        var now = fixture.clock.instant();
        return fixture.nodes.placeableNodes(now).stream()
                .filter(n -> strategy instanceof HashPlacementStrategy || n.weight() > 0)
                .filter(n -> !(strategy instanceof DiskAwareStrategy) || DISK_AWARE_FIT.fits(n))
                .filter(n -> fixture.health.health(n, now) == NodeHealth.HEALTHY)
                .toList();
    }
}
