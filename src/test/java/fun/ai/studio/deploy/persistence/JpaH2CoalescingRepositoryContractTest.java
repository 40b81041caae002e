package fun.ai.studio.deploy.persistence;

import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.support.Concurrently;
import fun.ai.studio.deploy.support.NewNodes;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract on H2 with the coalescing node store, the one the service runs when {@code heartbeat-flush-millis}
 * is above 0. Every case asserts through the store's own reads, which merge the pending heartbeats, so a heartbeat
 * time that reaches the table up to one interval late changes no outcome.
 * <p>
 * Two cases of the contract assume heartbeats are applied in the order they arrive, as the plain store does. For a
 * node it knows, with unchanged URLs, this store keeps the report with the newest heartbeat time instead (so a late
 * heartbeat cannot move a node's time back), and the two cases assert that rule here.
 */
abstract class JpaH2CoalescingRepositoryContractTest extends JpaH2RepositoryContractTest {

    @Override
    protected abstract long coalescingFlushMillis();

    @Test
    @Override
    void fiftyConcurrentHeartbeatsForOneNewNameLeaveOneNode() {
        List<RuntimeNode> results = Concurrently.run(50,
                i -> nodes.recordHeartbeat(heartbeat("rt-node-new", (double) i, (long) i, i),
                        NewNodes.OPEN, T0.plusMillis(i)).node());

        assertThat(results).extracting(RuntimeNode::id).containsOnly(results.get(0).id());
        // Each call is answered with its own report or a newer one, never an older one.
        IntStream.range(0, results.size())
                .forEach(i -> assertThat(results.get(i).containerCount()).isGreaterThanOrEqualTo(i));
        List<RuntimeNode> all = nodes.findAll();
        assertThat(all).hasSize(1);
        RuntimeNode stored = all.get(0);
        assertThat(stored.enabled()).isTrue();
        assertThat(stored.weight()).isEqualTo(RuntimeNode.DEFAULT_WEIGHT);
        // One heartbeat wins as a whole. Which one is not fixed: until the node is known here, racing heartbeats
        // are written as they arrive, as the plain store writes them.
        int winner = stored.containerCount();
        assertThat(stored.lastHeartbeatAt()).isEqualTo(T0.plusMillis(winner));
        assertThat(stored.diskFreePct()).isEqualTo((double) winner);
        assertThat(stored.diskFreeBytes()).isEqualTo((long) winner);
    }

    @Test
    @Override
    void heartbeatTimesRoundTripAtMillisecondPrecisionInUtc() {
        Instant[] times = {Instant.parse("2026-03-29T01:30:00.001Z"), Instant.parse("2026-10-25T00:59:59.999Z"),
                Instant.parse("1999-12-31T23:59:59.500Z"), T0};
        Instant newest = Instant.EPOCH;
        for (Instant time : times) {
            nodes.recordHeartbeat(heartbeat("rt-node-01", null, null, null), NewNodes.OPEN, time);
            newest = time.isAfter(newest) ? time : newest;

            assertThat(nodes.findByName("rt-node-01")).get().extracting(RuntimeNode::lastHeartbeatAt)
                    .isEqualTo(newest);
        }
    }
}
