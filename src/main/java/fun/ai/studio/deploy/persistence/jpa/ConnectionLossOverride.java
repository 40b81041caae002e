package fun.ai.studio.deploy.persistence.jpa;

import com.zaxxer.hikari.SQLExceptionOverride;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * Sees every SQLException a pooled connection throws: a lost connection (a socket timeout in a partition, a reset,
 * SQLState class 08) means the database is unreachable, so the breaker opens for every other call at once instead
 * of each waiting out its own timeout. Statement errors (a constraint, a lock wait, a cancelled query) do not.
 * Hikari's own handling, evicting broken connections, is kept.
 */
final class ConnectionLossOverride implements SQLExceptionOverride {

    private final DatabaseBreaker breaker;

    ConnectionLossOverride(DatabaseBreaker breaker) {
        this.breaker = breaker;
    }

    // java.lang.Override spelled out: SQLExceptionOverride's nested enum is also called Override.
    @java.lang.Override
    public SQLExceptionOverride.Override adjudicate(SQLException e) {
        if (isConnectionLoss(e)) {
            breaker.unreachable(e);
        }
        return SQLExceptionOverride.Override.CONTINUE_EVICT;
    }

    static boolean isConnectionLoss(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLNonTransientConnectionException || e instanceof SQLTransientConnectionException
                || e instanceof SQLRecoverableException || (state != null && state.startsWith("08"));
    }
}
