package fun.ai.studio.deploy.persistence.jpa;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.DisposableBean;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether calls may go to the database. Closed (the normal state), calls pass. A call that cannot reach the
 * database (no connection within {@code max-wait}, or its connection lost mid-call) opens it: from then on every
 * call that asks for a connection is refused at once instead of waiting out its own timeouts, until a background
 * probe reaches the database and closes it again. While closed, the probe also checks a database no call has
 * used for an interval, so readiness follows an outage even when no traffic comes.
 *
 * <p>A small gate rather than Resilience4j's circuit breaker: that breaker learns of recovery by letting real
 * calls through in its half-open state, and each such call would wait its full timeouts on a database still
 * gone; here only the probe ever waits, and the decision to open needs no failure rate, since one unreachable
 * call is proof enough.
 */
@Slf4j
final class DatabaseBreaker implements DisposableBean {

    /** Reaches the database or throws; bounded by the driver's connect and socket timeouts. */
    @FunctionalInterface
    interface Probe {
        void reach() throws SQLException;
    }

    /** Why and since when calls are refused; {@code startedNanos} measures its length whatever the clock says. */
    record Outage(Instant since, long startedNanos, String cause) {
    }

    private final Probe whenOpen;
    private final Probe whenIdle;
    private final Duration interval;
    private final Clock clock;
    private final ScheduledExecutorService prober;
    private final AtomicReference<Outage> outage = new AtomicReference<>();
    private final Counter refused;
    private final Counter trips;
    private volatile long lastReachedNanos = System.nanoTime();

    /**
     * @param whenOpen  the probe while open: a connection of its own, since the pool may hold only dead ones
     * @param whenIdle  the check while closed and unused for an interval: a pooled connection validated
     */
    DatabaseBreaker(Probe whenOpen, Probe whenIdle, Duration interval, Clock clock, MeterRegistry meters) {
        this.whenOpen = whenOpen;
        this.whenIdle = whenIdle;
        this.interval = interval;
        this.clock = clock;
        this.refused = Counter.builder("deploy.database.breaker.refused")
                .description("Calls refused at once because the database was known to be unreachable")
                .register(meters);
        this.trips = Counter.builder("deploy.database.breaker.trips")
                .description("Times the database became unreachable and the breaker opened")
                .register(meters);
        Gauge.builder("deploy.database.breaker.open", this, breaker -> breaker.isOpen() ? 1 : 0)
                .description("1 while calls to the database are refused, 0 while they pass")
                .register(meters);
        this.prober = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "database-probe");
            thread.setDaemon(true);
            return thread;
        });
        prober.scheduleWithFixedDelay(this::probe, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Throws at once while open; the message says since when and why. */
    void checkClosed() throws SQLTransientConnectionException {
        Outage current = outage.get();
        if (current != null) {
            refused.increment();
            throw new SQLTransientConnectionException("database unreachable since " + current.since() + " ("
                    + current.cause() + "); refused without waiting until a probe reaches it", "08001");
        }
    }

    /** A call reached the database. */
    void reached() {
        lastReachedNanos = System.nanoTime();
    }

    /** A call could not reach the database: opens the breaker, if it is not open already. */
    void unreachable(Throwable cause) {
        Outage fresh = new Outage(clock.instant(), System.nanoTime(), describe(cause));
        if (outage.compareAndSet(null, fresh)) {
            trips.increment();
            log.warn("database unreachable ({}); calls that need it are refused until a probe reaches it",
                    fresh.cause());
        }
    }

    boolean isOpen() {
        return outage.get() != null;
    }

    /** The current outage, or null while closed. */
    Outage outage() {
        return outage.get();
    }

    private void probe() {
        Outage current = outage.get();
        try {
            if (current != null) {
                whenOpen.reach();
                outage.set(null);
                reached();
                log.info("database reachable again after {} ms; calls pass",
                        Duration.ofNanos(System.nanoTime() - current.startedNanos()).toMillis());
            } else if (System.nanoTime() - lastReachedNanos >= interval.toNanos()) {
                whenIdle.reach();
                reached();
            }
        } catch (SQLException | RuntimeException e) {
            if (current == null) {
                unreachable(e);
            }
        }
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String firstLine = message == null ? "" : message.lines().findFirst().orElse("");
        return root.getClass().getSimpleName() + (firstLine.isEmpty() ? "" : ": " + firstLine);
    }

    @Override
    public void destroy() {
        prober.shutdownNow();
    }
}
