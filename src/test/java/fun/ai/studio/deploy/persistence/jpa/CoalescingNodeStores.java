package fun.ai.studio.deploy.persistence.jpa;

import fun.ai.studio.deploy.config.RuntimeProperties;
import fun.ai.studio.deploy.node.RuntimeNodeRepository;
import fun.ai.studio.deploy.placement.NodeFit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcOperations;

/**
 * Builds the coalescing node store over a context's plain JPA store (a context started with a flush interval of
 * 0), wired as {@link JpaPersistenceConfiguration} wires it. A store of its own per test, because the store
 * remembers the nodes it has seen: one left over from an earlier test would coalesce heartbeats of names that test
 * has deleted from the table.
 */
public final class CoalescingNodeStores {

    private CoalescingNodeStores() {
    }

    /** A new coalescing store flushing every {@code flushMillis}; {@link #stop} it when done. */
    public static RuntimeNodeRepository start(ApplicationContext context, long flushMillis) {
        RuntimeProperties runtime = context.getBean(RuntimeProperties.class);
        DatabaseBreaker breaker = context.getBean(DatabaseBreaker.class);
        return new CoalescingRuntimeNodeRepository(context.getBean(JpaRuntimeNodeRepository.class),
                new HeartbeatWriter(context.getBean(JdbcOperations.class), context.getBean(WriteTransactions.class)),
                NodeFit.of(runtime.placement()), breaker::isOpen, flushMillis);
    }

    /** Stops the store's flusher after one last flush, as at shutdown. */
    public static void stop(RuntimeNodeRepository store) throws Exception {
        ((DisposableBean) store).destroy();
    }
}
