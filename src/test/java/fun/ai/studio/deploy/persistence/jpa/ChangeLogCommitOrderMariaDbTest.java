package fun.ai.studio.deploy.persistence.jpa;

import fun.ai.studio.deploy.changes.Change;
import fun.ai.studio.deploy.changes.ChangeEntry;
import fun.ai.studio.deploy.persistence.JpaTestApplication;
import fun.ai.studio.deploy.support.MariaDbTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Revisions follow commit order: while one writer holds its transaction open, the writers after it cannot take a
 * revision, so a consumer that reads after the newest revision it has seen never skips one; a writer that rolls
 * back gives its revision to the next. Runs when {@code DEPLOY_TEST_MARIADB=true}.
 */
@EnabledIfEnvironmentVariable(named = MariaDbTestDatabase.ENABLED_VARIABLE, matches = "true")
class ChangeLogCommitOrderMariaDbTest {

    private static final int WRITERS = 4;

    private MariaDbTestDatabase database;
    private ConfigurableApplicationContext context;
    private JpaChangeLog log;
    private TransactionTemplate transactions;

    @BeforeEach
    void start() {
        database = MariaDbTestDatabase.create();
        context = JpaTestApplication.start(database.springProperties());
        log = context.getBean(JpaChangeLog.class);
        transactions = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
    }

    @AfterEach
    void stop() {
        try (MariaDbTestDatabase db = database; ConfigurableApplicationContext ctx = context) {
            // try-with-resources closes both, even when one close fails
        }
    }

    private static Change change(String appId) {
        return Change.placed(1_000L, appId, 1);
    }

    /** Reads after the newest revision it has seen, as every consumer does, and notes any revision it skipped. */
    private final class Consumer implements Runnable {
        final List<ChangeEntry> seen = new CopyOnWriteArrayList<>();
        final List<String> skips = new CopyOnWriteArrayList<>();
        final AtomicBoolean running = new AtomicBoolean(true);

        @Override
        public void run() {
            long last = 0;
            while (running.get()) {
                for (ChangeEntry entry : log.after(last, 100)) {
                    if (entry.revision() != last + 1) {
                        skips.add("after " + last + " came " + entry.revision());
                    }
                    seen.add(entry);
                    last = entry.revision();
                }
            }
        }
    }

    @Test
    void whileOneWriterHoldsItsTransactionNoLaterRevisionCanBeSeenAndNoneIsEverSkipped() throws Exception {
        Consumer consumer = new Consumer();
        Thread reading = new Thread(consumer, "consumer");
        reading.start();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(status -> {
            log.append(List.of(change("held")));
            holding.countDown();
            waitFor(release);
        }));
        holding.await(5, TimeUnit.SECONDS);
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        IntStream.range(0, WRITERS).forEach(i -> writers.add(CompletableFuture.runAsync(() ->
                transactions.executeWithoutResult(status -> log.append(List.of(change("after-" + i)))))));

        // Well within the writers' 2 s statement timeout: they wait for the holder's revision to commit.
        Thread.sleep(1_000);
        assertThat(consumer.seen).as("nothing is visible while the first revision is uncommitted").isEmpty();
        assertThat(log.latestRevision()).isZero();

        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<Void> writer : writers) {
            writer.get(10, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.seen.size() == WRITERS + 1);
        consumer.running.set(false);
        reading.join();

        assertThat(consumer.skips).isEmpty();
        assertThat(consumer.seen).extracting(ChangeEntry::revision).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(consumer.seen.get(0).appId()).isEqualTo("held");
    }

    @Test
    void aWriterThatRollsBackLeavesNoGap() {
        transactions.executeWithoutResult(status -> log.append(List.of(change("kept-1"))));
        transactions.executeWithoutResult(status -> {
            log.append(List.of(change("rolled-back")));
            status.setRollbackOnly();
        });
        transactions.executeWithoutResult(status -> log.append(List.of(change("kept-2"), change("kept-3"))));

        assertThat(log.after(0, 10)).extracting(ChangeEntry::revision, ChangeEntry::appId)
                .containsExactly(tuple(1L, "kept-1"),
                        tuple(2L, "kept-2"),
                        tuple(3L, "kept-3"));
        assertThat(log.latestRevision()).isEqualTo(3);
    }

    @Test
    void anEntryIsOnlyWrittenInsideTheTransactionOfItsChange() {
        assertThatThrownBy(() -> log.append(List.of(change("outside"))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(log.after(0, 10)).isEmpty();
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
