package fun.ai.studio.deploy.persistence.jpa;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

class DatabaseBreakerTest {

    private static final Duration INTERVAL = Duration.ofMillis(50);
    private static final Duration WITHIN = Duration.ofSeconds(5);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicBoolean databaseUp = new AtomicBoolean(true);
    private final AtomicInteger openProbes = new AtomicInteger();
    private final AtomicInteger idleChecks = new AtomicInteger();
    private final DatabaseBreaker breaker = new DatabaseBreaker(
            () -> {
                openProbes.incrementAndGet();
                reachOrThrow();
            },
            () -> {
                idleChecks.incrementAndGet();
                reachOrThrow();
            },
            INTERVAL, Clock.systemUTC(), meters);

    @AfterEach
    void stop() {
        breaker.destroy();
    }

    @Test
    void closedItLetsCallsPassAndCountsNothing() {
        assertThatCode(breaker::checkClosed).doesNotThrowAnyException();
        assertThat(breaker.isOpen()).isFalse();
        assertThat(meters.get("deploy.database.breaker.open").gauge().value()).isZero();
        assertThat(meters.get("deploy.database.breaker.refused").counter().count()).isZero();
    }

    @Test
    void oneUnreachableCallOpensItAndLaterCallsAreRefusedWithTheCauseUntilTheProbeGetsThrough() {
        databaseUp.set(false);
        breaker.unreachable(new SQLNonTransientConnectionException("link failure",
                "08S01", new ConnectException("Connection timed out")));
        breaker.unreachable(new SQLTransientConnectionException("again"));

        SQLTransientConnectionException refused = catchThrowableOfType(SQLTransientConnectionException.class,
                breaker::checkClosed);
        assertThat(refused.getMessage()).contains("database unreachable since")
                .contains("ConnectException: Connection timed out").contains("refused without waiting");
        assertThat(refused.getSQLState()).isEqualTo("08001");
        assertThat(meters.get("deploy.database.breaker.trips").counter().count()).as("one outage, one trip").isEqualTo(1);
        assertThat(meters.get("deploy.database.breaker.refused").counter().count()).isEqualTo(1);
        assertThat(meters.get("deploy.database.breaker.open").gauge().value()).isEqualTo(1);

        await().atMost(WITHIN).until(() -> openProbes.get() >= 3);
        assertThat(breaker.isOpen()).as("failed probes keep it open").isTrue();

        databaseUp.set(true);
        await().atMost(WITHIN).until(() -> !breaker.isOpen());
        assertThatCode(breaker::checkClosed).doesNotThrowAnyException();
        assertThat(breaker.outage()).isNull();
        assertThat(meters.get("deploy.database.breaker.open").gauge().value()).isZero();
    }

    @Test
    void closedAndUnusedItChecksTheDatabaseAndOpensWhenTheCheckFails() {
        await().atMost(WITHIN).until(() -> idleChecks.get() >= 1);
        assertThat(breaker.isOpen()).isFalse();

        databaseUp.set(false);
        await().atMost(WITHIN).until(breaker::isOpen);
        assertThat(breaker.outage().cause()).isEqualTo("SQLTransientConnectionException: no answer");
    }

    @Test
    void callsThatReachTheDatabaseSpareItTheIdleCheck() throws InterruptedException {
        int before = idleChecks.get();
        long end = System.nanoTime() + INTERVAL.multipliedBy(10).toNanos();
        while (System.nanoTime() < end) {
            breaker.reached();
            // Paces the calls: the case is that ten intervals of steady use pass without an idle check.
            Thread.sleep(INTERVAL.toMillis() / 5);
        }
        // At most the one check that may have been under way when the calls began.
        assertThat(idleChecks.get() - before).isLessThanOrEqualTo(1);
    }

    private void reachOrThrow() throws SQLException {
        if (!databaseUp.get()) {
            throw new SQLTransientConnectionException("no answer");
        }
    }
}
