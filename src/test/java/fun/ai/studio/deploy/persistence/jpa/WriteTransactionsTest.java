package fun.ai.studio.deploy.persistence.jpa;

import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WriteTransactionsTest {

    private final CountingTransactionManager transactionManager = new CountingTransactionManager();
    private final WriteTransactions transactions = new WriteTransactions(transactionManager);
    private final AtomicInteger attempts = new AtomicInteger();

    @Test
    void aWriteChosenAsDeadlockVictimIsRunAgainInANewTransactionAndItsResultReturned() {
        String result = transactions.execute(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new CannotAcquireLockException("Deadlock found when trying to get lock");
            }
            return "ok";
        });

        assertThat(result).isEqualTo("ok");
        assertThat(attempts).hasValue(3);
        assertThat(transactionManager.rollbacks).hasValue(2);
        assertThat(transactionManager.commits).hasValue(1);
    }

    @Test
    void aWriteThatKeepsLosingLocksFailsAfterTheLastAttempt() {
        assertThatThrownBy(() -> transactions.execute(() -> {
            attempts.incrementAndGet();
            throw new CannotAcquireLockException("Deadlock found when trying to get lock");
        })).isInstanceOf(CannotAcquireLockException.class);

        assertThat(attempts).hasValue(WriteTransactions.MAX_ATTEMPTS);
        assertThat(transactionManager.rollbacks).hasValue(WriteTransactions.MAX_ATTEMPTS);
    }

    @Test
    void otherFailuresAreNotRetried() {
        assertThatThrownBy(() -> transactions.execute(() -> {
            attempts.incrementAndGet();
            throw new DataAccessResourceFailureException("connection refused");
        })).isInstanceOf(DataAccessResourceFailureException.class);

        assertThat(attempts).hasValue(1);
    }

    @Test
    void anInterruptedCallerStopsRetryingAndKeepsItsInterruptFlag() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> transactions.execute(() -> {
                attempts.incrementAndGet();
                throw new CannotAcquireLockException("Deadlock found when trying to get lock");
            })).isInstanceOf(CannotAcquireLockException.class);

            assertThat(attempts).hasValue(1);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    /** A transaction manager with no resource behind it that counts how each transaction ended. */
    private static final class CountingTransactionManager extends AbstractPlatformTransactionManager {

        private final AtomicInteger commits = new AtomicInteger();
        private final AtomicInteger rollbacks = new AtomicInteger();

        @Override
        protected Object doGetTransaction() {
            return new Object();
        }

        @Override
        protected void doBegin(Object transaction, TransactionDefinition definition) {
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            commits.incrementAndGet();
        }

        @Override
        protected void doRollback(DefaultTransactionStatus status) {
            rollbacks.incrementAndGet();
        }
    }
}
