package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.config.RuntimeProperties;
import fun.ai.studio.deploy.node.NodeHealth;
import fun.ai.studio.deploy.node.NodeUpsert;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.web.ApiException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Properties every placement strategy must keep, each checked over 100,000 appIds. */
class PlacementStrategyProperties {

    static final int APPS = 100_000;

    /** What one generated node looks like: its weight, state and reported figures. */
    record NodeSpec(int weight, boolean enabled, boolean fresh, boolean urls, Double diskFreePct, Integer containers) {
    }

    @Provide
    Arbitrary<List<NodeSpec>> fleets() {
        Arbitrary<NodeSpec> node = Combinators.combine(
                Arbitraries.integers().between(0, 1000),
                Arbitraries.of(true, true, true, false),
                Arbitraries.of(true, true, true, false),
                Arbitraries.of(true, true, true, false),
                Arbitraries.doubles().between(0, 100).ofScale(1).injectNull(0.3),
                Arbitraries.integers().between(0, 200).injectNull(0.3)).as(NodeSpec::new);
        return node.list().ofMinSize(1).ofMaxSize(12);
    }

    static List<Supplier<PlacementStrategy>> strategies() {
        return List.of(HashPlacementStrategy::new, WeightedRendezvousStrategy::new, LeastLoadedStrategy::new,
                () -> new DiskAwareStrategy(15, 100));
    }

    @Property(tries = 5)
    void everyStrategyPlacesOnlyOnPlaceableNodesItAccepts(@ForAll("fleets") List<NodeSpec> fleet) {
        for (Supplier<PlacementStrategy> supplier : strategies()) {
            PlacementStrategy strategy = supplier.get();
            PlacementFixture fixture = build(fleet, strategy);
            var now = fixture.clock.instant();
            int placed = 0;
            for (int i = 0; i < APPS; i++) {
                String appId = "app-" + i;
                try {
                    PlacementView view = fixture.placements.ensure(appId);
                    RuntimeNode node = fixture.nodeRepository.findById(view.nodeId()).orElseThrow();
                    assertThat(fixture.health.isPlaceable(node, now)).as("%s chose %s", strategy, node).isTrue();
                    if (!(strategy instanceof HashPlacementStrategy)) {
                        assertThat(node.weight()).as("%s chose weight 0", strategy).isPositive();
                    }
                    if (strategy instanceof DiskAwareStrategy diskAware) {
                        assertThat(diskAware.fits(node)).as("disk-aware chose a full node %s", node).isTrue();
                    }
                    placed++;
                } catch (ApiException e) {
                    // 503 is the only acceptable refusal, and only when no node may take apps at all.
                    assertThat(e.status().value()).isEqualTo(503);
                    assertThat(placed).isZero();
                    assertThat(eligible(fixture, strategy)).isEmpty();
                    break;
                }
            }
        }
    }

    @Property(tries = 5)
    void rendezvousIsDeterministicAndIgnoresNodeIds(@ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 1000) Integer> weights) {
        List<RuntimeNode> nodes = nodes(weights, 1);
        List<RuntimeNode> renumbered = nodes(weights, 1_000);
        for (PlacementStrategy strategy : List.of(new WeightedRendezvousStrategy(), new DiskAwareStrategy(15, 0))) {
            PlacementStrategy restarted = strategy instanceof DiskAwareStrategy ? new DiskAwareStrategy(15, 0)
                    : new WeightedRendezvousStrategy();
            for (int i = 0; i < APPS; i++) {
                String appId = "app-" + i;
                String first = strategy.choose(appId, nodes, noLoads()).orElseThrow().name();
                assertThat(restarted.choose(appId, renumbered, noLoads()).orElseThrow().name()).isEqualTo(first);
            }
        }
    }

    @Property(tries = 5)
    void hashIsDeterministicAndFollowsTheContractRule(@ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 1000) Integer> weights) {
        List<RuntimeNode> nodes = nodes(weights, 1);
        PlacementStrategy strategy = new HashPlacementStrategy();
        for (int i = 0; i < APPS; i++) {
            String appId = "app-" + i;
            assertThat(strategy.choose(appId, nodes, noLoads()).orElseThrow())
                    .isEqualTo(nodes.get(Math.floorMod(appId.hashCode(), nodes.size())));
        }
    }

    @Property(tries = 5)
    void weightedSharesConvergeToWeightOverTotal(@ForAll @Size(min = 2, max = 10) List<@IntRange(min = 1, max = 1000) Integer> weights) {
        List<RuntimeNode> nodes = nodes(weights, 1);
        double total = weights.stream().mapToInt(Integer::intValue).sum();
        for (PlacementStrategy strategy : List.of(new WeightedRendezvousStrategy(), new LeastLoadedStrategy(),
                new DiskAwareStrategy(15, 0))) {
            Map<Long, Long> counts = new HashMap<>();
            NodeLoads loads = new NodeLoads(Map::of);
            for (int i = 0; i < APPS; i++) {
                RuntimeNode chosen = strategy.choose("app-" + i, nodes, loads).orElseThrow();
                counts.merge(chosen.id(), 1L, Long::sum);
                loads.add(chosen.id());
            }
            for (RuntimeNode node : nodes) {
                double share = counts.getOrDefault(node.id(), 0L) / (double) APPS;
                assertThat(share).as("%s share of %s", strategy.getClass().getSimpleName(), node.name())
                        .isCloseTo(node.weight() / total, within(0.02));
            }
        }
    }

    @Property(tries = 3)
    void removingOneOfTenNodesMovesOnlyItsAppsUnderRendezvous(@ForAll @IntRange(min = 0, max = 9) int removed) {
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
                assertThat(before.id()).as("only apps of the removed node may move").isEqualTo(gone.id());
            }
        }
        assertThat(moved).isEqualTo(onGone);
        assertThat(moved / (double) APPS).isCloseTo(0.1, within(0.02));
    }

    @Property(tries = 3)
    void removingOneOfTenNodesMovesMostAppsUnderHash(@ForAll @IntRange(min = 0, max = 9) int removed) {
        List<RuntimeNode> ten = nodes(IntStream.range(0, 10).mapToObj(i -> 100).toList(), 1);
        List<RuntimeNode> nine = new ArrayList<>(ten);
        nine.remove(removed);
        PlacementStrategy hash = new HashPlacementStrategy();
        long moved = IntStream.range(0, APPS).mapToObj(i -> "app-" + i)
                .filter(appId -> hash.choose(appId, ten, noLoads()).orElseThrow().id()
                        != hash.choose(appId, nine, noLoads()).orElseThrow().id())
                .count();
        // The documented contrast: modulo placement reshuffles most apps when N changes.
        assertThat(moved / (double) APPS).isGreaterThan(0.5);
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
                fixture.nodeRepository.recordHeartbeat(new fun.ai.studio.deploy.node.Heartbeat(name, "", "",
                        spec.diskFreePct(), null, spec.containers()), fixture.clock.instant());
            }
            fixture.nodeRepository.upsert(new NodeUpsert(name,
                    fixture.nodeRepository.findByName(name).orElseThrow().agentBaseUrl(),
                    fixture.nodeRepository.findByName(name).orElseThrow().gatewayBaseUrl(),
                    spec.enabled(), spec.weight()), fixture.clock.instant());
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
                .filter(n -> !(strategy instanceof DiskAwareStrategy d) || d.fits(n))
                .filter(n -> fixture.health.health(n, now) == NodeHealth.HEALTHY)
                .toList();
    }
}
