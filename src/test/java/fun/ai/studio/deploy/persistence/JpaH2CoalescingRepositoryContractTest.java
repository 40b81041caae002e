package fun.ai.studio.deploy.persistence;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The contract on H2 with the coalescing node store, the one the service runs when {@code heartbeat-flush-millis}
 * is above 0. Every case asserts through the store's own reads, which merge the pending heartbeats, so a heartbeat
 * time that reaches the table up to one interval late changes no outcome.
 * <p>
 * Two cases do not hold, and are left as they are for the other stores: they expect a heartbeat to be applied in
 * the order heartbeats arrive, as the plain store does, while for a known node with unchanged URLs this store keeps
 * the report with the newest heartbeat time and drops an older one (or one of the same millisecond) unapplied.
 * {@code CoalescingRuntimeNodeRepositoryTest} covers that rule.
 */
abstract class JpaH2CoalescingRepositoryContractTest extends JpaH2RepositoryContractTest {

    @Override
    protected abstract long coalescingFlushMillis();

    @Test
    @Disabled("a heartbeat taken after a newer one of the same node is answered with the newer one's figures")
    @Override
    void fiftyConcurrentHeartbeatsForOneNewNameLeaveOneNode() {
    }

    @Test
    @Disabled("a heartbeat time older than the node's is not applied, so the 1999 time in the sequence never shows")
    @Override
    void heartbeatTimesRoundTripAtMillisecondPrecisionInUtc() {
    }
}
