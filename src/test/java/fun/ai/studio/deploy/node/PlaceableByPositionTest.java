package fun.ai.studio.deploy.node;

import fun.ai.studio.deploy.support.StoredPlacementCounts;
import fun.ai.studio.deploy.config.RegistryProperties;
import fun.ai.studio.deploy.persistence.memory.InMemoryPlacementRepository;
import fun.ai.studio.deploy.persistence.memory.InMemoryRuntimeNodeRepository;
import fun.ai.studio.deploy.support.MutableClock;
import fun.ai.studio.deploy.support.RegistrySettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The placeable nodes kept for first placements ({@link RuntimeNodeService#placeableByPosition}) are, at every
 * moment, exactly the nodes {@link RuntimeNodeService#placeableNodes} finds by reading and judging every node, and
 * they are kept without reading every node again.
 */
class PlaceableByPositionTest {

    private static final int STALE_SECONDS = 60;

    /** Counts full reads, which the kept list exists to avoid, and the nodes read by pages. */
    private static final class CountingNodes extends InMemoryRuntimeNodeRepository {
        final AtomicInteger fullReads = new AtomicInteger();
        final AtomicInteger pagedNodes = new AtomicInteger();

        @Override
        public List<RuntimeNode> findAll() {
            fullReads.incrementAndGet();
            return super.findAll();
        }

        @Override
        public List<RuntimeNode> findPageAfter(long afterId, int limit) {
            List<RuntimeNode> page = super.findPageAfter(afterId, limit);
            pagedNodes.addAndGet(page.size());
            return page;
        }
    }

    private MutableClock clock;
    private CountingNodes repository;
    private RuntimeNodeService nodes;

    @BeforeEach
    void emptyRegistry() {
        clock = new MutableClock(Instant.parse("2026-11-28T03:12:31.123Z"));
        repository = new CountingNodes();
        RegistryProperties registry = RegistrySettings.defaults(true, STALE_SECONDS);
        NodeHealthPolicy health = new NodeHealthPolicy(clock, registry);
        nodes = new RuntimeNodeService(repository, new StoredPlacementCounts(new InMemoryPlacementRepository()), health, clock, registry,
                RegistrySettings.audit(clock), event -> { });
    }

    private void beat(String name) {
        nodes.heartbeat(new Heartbeat(name, "http://" + name + ":7005", "https://" + name + ".gw", null, null, null),
                "127.0.0.1");
    }

    private void assertSameAsReadingEveryNode(String step) {
        Instant now = nodes.now();
        List<RuntimeNode> expected = nodes.placeableNodes(now);
        List<RuntimeNode> kept = nodes.placeableByPosition(now);
        assertThat(kept.size()).as("count after %s", step).isEqualTo(expected.size());
        assertThat(List.copyOf(kept)).as("nodes after %s", step).isEqualTo(expected);
    }

    @Test
    void aRandomHistoryOfBeatsSilencesSwitchesAndUpsertsKeepsExactlyThePlaceableNodesToTheMillisecond() {
        Random random = new Random(20261128);
        for (int step = 0; step < 2_000; step++) {
            String name = "rt-node-" + random.nextInt(40);
            String done;
            switch (random.nextInt(6)) {
                case 0, 1 -> {
                    beat(name);
                    done = "heartbeat " + name;
                }
                case 2 -> {
                    boolean enabled = random.nextBoolean();
                    done = "set-enabled " + name + " " + enabled + " (known: " + repository.findByName(name).isPresent() + ")";
                    if (repository.findByName(name).isPresent()) {
                        nodes.setEnabled(name, enabled);
                    }
                }
                case 3 -> {
                    Boolean enabled = random.nextBoolean() ? null : random.nextBoolean();
                    nodes.upsert(new NodeUpsert(name, "http://" + name + ":7005", "https://" + name + ".gw", enabled, 100));
                    done = "upsert " + name + " enabled " + enabled;
                }
                default -> {
                    // Often land exactly on, or a millisecond either side of, some node's STALE moment.
                    long millis = random.nextBoolean() ? random.nextInt(30_000) : 10_000L * random.nextInt(4) + random.nextInt(3) - 1;
                    clock.advance(Duration.ofMillis(Math.max(0, millis)));
                    done = "advance " + millis + " ms";
                }
            }
            assertSameAsReadingEveryNode("step " + step + ": " + done);
        }
    }

    @Test
    void firstPlacementsAndHeartbeatsDoNotReadEveryNodeOnceTheListIsKept() {
        for (int i = 0; i < 50; i++) {
            beat("rt-node-" + i);
        }
        assertThat(nodes.placeableByPosition(nodes.now())).hasSize(50);
        // Read once, when the first heartbeat met the list, then kept from each heartbeat's answer.
        int readOnce = repository.pagedNodes.get();

        for (int round = 0; round < 200; round++) {
            beat("rt-node-" + round % 50);
            clock.advance(Duration.ofMillis(500));
            List<RuntimeNode> placeable = nodes.placeableByPosition(nodes.now());
            assertThat(placeable.get(Math.floorMod(("app-" + round).hashCode(), placeable.size())).name())
                    .startsWith("rt-node-");
        }

        assertThat(readOnce).as("nodes read at the first use, by pages").isEqualTo(1);
        assertThat(repository.pagedNodes.get()).as("nodes read by pages since").isEqualTo(readOnce);
        assertThat(repository.fullReads.get()).as("full reads").isZero();
    }

    @Test
    void theFirstUseReadsALargeFleetByPages() {
        for (int i = 0; i < PlaceableNodes.LOAD_PAGE * 2 + 3; i++) {
            repository.recordHeartbeat(new Heartbeat("rt-node-" + i, "http://a:1", "http://b:2", null, null, null),
                    new NewNodePolicy(true, 10_000), clock.instant());
        }

        assertThat(nodes.placeableByPosition(nodes.now())).hasSize(PlaceableNodes.LOAD_PAGE * 2 + 3);
        assertThat(repository.fullReads.get()).isZero();
    }

    @Test
    void changesMadeByAnotherInstanceShowWithinOneRefresh() {
        SharedNodes shared = new SharedNodes();
        RegistryProperties registry = RegistrySettings.defaults(true, STALE_SECONDS);
        NodeHealthPolicy health = new NodeHealthPolicy(clock, registry);
        RuntimeNodeService here = new RuntimeNodeService(shared, new StoredPlacementCounts(new InMemoryPlacementRepository()), health, clock, registry,
                RegistrySettings.audit(clock), event -> { });
        here.heartbeat(new Heartbeat("rt-a", "http://a:1", "http://a:2", null, null, null), "127.0.0.1");
        here.heartbeat(new Heartbeat("rt-b", "http://b:1", "http://b:2", null, null, null), "127.0.0.1");
        assertThat(here.placeableByPosition(here.now())).extracting(RuntimeNode::name).containsExactly("rt-a", "rt-b");

        // Written behind this instance's back, as another instance would.
        shared.setEnabled("rt-a", false, clock.instant());
        shared.updatedSince = List.of(shared.findByName("rt-a").orElseThrow());
        List<String> beforeRefresh = here.placeableByPosition(here.now()).stream().map(RuntimeNode::name).toList();
        clock.advance(Duration.ofMillis(PlaceableNodes.REFRESH_MS));
        List<String> afterRefresh = here.placeableByPosition(here.now()).stream().map(RuntimeNode::name).toList();

        assertThat(beforeRefresh).as("within the refresh interval").containsExactly("rt-a", "rt-b");
        assertThat(afterRefresh).containsExactly("rt-b");
        assertThat(shared.askedSince).isEqualTo(Instant.parse("2026-11-28T03:12:31.123Z")
                .minusMillis(PlaceableNodes.REFRESH_OVERLAP_MS));
    }

    /** A store other instances write too: reports what the test says they changed. */
    private static final class SharedNodes extends InMemoryRuntimeNodeRepository {
        List<RuntimeNode> updatedSince = List.of();
        Instant askedSince;

        @Override
        public List<RuntimeNode> findUpdatedSince(Instant since, Collection<Long> watched) {
            askedSince = since;
            return updatedSince;
        }
    }
}
