package fun.ai.studio.deploy.persistence.jpa;

import lombok.extern.slf4j.Slf4j;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs each write in a transaction of its own and runs it again when the database rolled it back to break a
 * deadlock, so callers never see one. InnoDB can pick concurrent inserts or upserts of one unique key as deadlock
 * victims even though each is a single statement; retrying the whole transaction is then correct because nothing
 * of it was kept.
 */
@Slf4j
class WriteTransactions {

    static final int MAX_ATTEMPTS = 5;

    private final TransactionTemplate template;

    WriteTransactions(PlatformTransactionManager transactionManager) {
        this.template = new TransactionTemplate(transactionManager);
    }

    <T> T execute(Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return template.execute(status -> work.get());
            } catch (PessimisticLockingFailureException e) {
                if (attempt >= MAX_ATTEMPTS || !pause(attempt)) {
                    throw e;
                }
                log.debug("write lost a lock conflict (attempt {}), retrying: {}", attempt, e.getClass().getSimpleName());
            }
        }
    }

    /** A short random pause so the colliding writers do not retry in lock step; false when interrupted. */
    private static boolean pause(int attempt) {
        try {
            TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextLong(1, 10L * attempt + 1));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
