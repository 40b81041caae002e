package fun.ai.studio.deploy.persistence;

/** At the service's default interval, 500 ms: most heartbeats are still pending when a case reads them back. */
class JpaH2Coalescing500MsRepositoryContractTest extends JpaH2CoalescingRepositoryContractTest {

    @Override
    protected long coalescingFlushMillis() {
        return 500;
    }
}
