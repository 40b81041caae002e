package fun.ai.studio.deploy.persistence.jpa;

import com.zaxxer.hikari.SQLExceptionOverride;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionLossOverrideTest {

    private final DatabaseBreaker breaker = new DatabaseBreaker(() -> {
        throw new SQLTransientConnectionException("down");
    }, () -> {
    }, Duration.ofHours(1), Clock.systemUTC(), new SimpleMeterRegistry());
    private final ConnectionLossOverride override = new ConnectionLossOverride(breaker);

    @AfterEach
    void stop() {
        breaker.destroy();
    }

    @Test
    void statementErrorsLeaveTheBreakerClosed() {
        for (SQLException e : new SQLException[]{
                new SQLIntegrityConstraintViolationException("Duplicate entry", "23000", 1062),
                new SQLTimeoutException("Statement cancelled due to timeout", "70100"),
                new SQLException("Lock wait timeout exceeded", "HY000", 1205)}) {
            assertThat(override.adjudicate(e)).as(e.getMessage()).isEqualTo(SQLExceptionOverride.Override.CONTINUE_EVICT);
        }
        assertThat(breaker.isOpen()).isFalse();
    }

    @Test
    void aLostConnectionOpensTheBreakerAndHikariStillEvictsIt() {
        assertThat(override.adjudicate(new SQLException("Communications link failure", "08S01")))
                .isEqualTo(SQLExceptionOverride.Override.CONTINUE_EVICT);

        assertThat(breaker.isOpen()).isTrue();
        assertThat(breaker.outage().cause()).isEqualTo("SQLException: Communications link failure");
    }

    @Test
    void connectionExceptionTypesCountAsLossWhateverTheirState() {
        assertThat(ConnectionLossOverride.isConnectionLoss(new SQLRecoverableException("reset"))).isTrue();
        assertThat(ConnectionLossOverride.isConnectionLoss(new SQLTransientConnectionException("pool empty"))).isTrue();
        assertThat(ConnectionLossOverride.isConnectionLoss(new SQLException("no state"))).isFalse();
    }
}
