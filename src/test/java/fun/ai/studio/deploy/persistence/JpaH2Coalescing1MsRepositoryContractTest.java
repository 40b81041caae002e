package fun.ai.studio.deploy.persistence;

/**
 * At the shortest interval the store runs at, 1 ms, so flushes and re-reads race every call. At 0 the service uses
 * the plain store instead ({@link JpaH2RepositoryContractTest}), and this store refuses to start.
 */
class JpaH2Coalescing1MsRepositoryContractTest extends JpaH2CoalescingRepositoryContractTest {

    @Override
    protected long coalescingFlushMillis() {
        return 1;
    }
}
