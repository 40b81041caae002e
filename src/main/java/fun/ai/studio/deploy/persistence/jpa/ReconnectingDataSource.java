package fun.ai.studio.deploy.persistence.jpa;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;

/**
 * The connection pool behind the {@link DatabaseBreaker}, plus one direct connection attempt when the pool gives
 * up. While the breaker is open a call is refused at once. After an outage HikariCP retries opening connections
 * with a backoff that grows to 5 s, so a pool can stay empty for seconds after the database is back; a request
 * that timed out on the pool then opens a connection of its own (closed, not pooled, when the request is done),
 * so service resumes within one pool wait of the database's return. When that attempt fails too, the database
 * is unreachable and the breaker opens. The pool's wait plus the attempt's connect timeout is
 * {@code deploy.runtime.persistence.max-wait}.
 */
class ReconnectingDataSource extends DelegatingDataSource implements AutoCloseable {

    private final HikariDataSource pool;
    private final DatabaseBreaker breaker;

    /**
     * @param pooled        the DataSource bean: Boot's pool, or a decoration of it
     * @param pool          the pool itself, for the driver settings of a connection outside it
     * @param answerSeconds how long the breaker's probes wait for the database to answer on a connection
     */
    ReconnectingDataSource(DataSource pooled, HikariDataSource pool, int answerSeconds, Duration probeInterval,
                           Clock clock, MeterRegistry meters) {
        super(pooled);
        this.pool = pool;
        this.breaker = new DatabaseBreaker(() -> probeDirect(answerSeconds), () -> probePooled(answerSeconds),
                probeInterval, clock, meters);
    }

    DatabaseBreaker breaker() {
        return breaker;
    }

    @Override
    public void close() {
        breaker.destroy();
        pool.close();
    }

    @Override
    public Connection getConnection() throws SQLException {
        breaker.checkClosed();
        try {
            Connection pooled = obtainTargetDataSource().getConnection();
            breaker.reached();
            return pooled;
        } catch (SQLTransientConnectionException poolTimedOut) {
            try {
                Connection direct = openDirect();
                breaker.reached();
                return direct;
            } catch (SQLException stillDown) {
                poolTimedOut.addSuppressed(stillDown);
                breaker.unreachable(stillDown);
                throw poolTimedOut;
            }
        }
    }

    /** A connection outside the pool, with the pool's driver settings (its connect and socket timeouts). */
    private Connection openDirect() throws SQLException {
        Properties settings = new Properties();
        settings.putAll(pool.getDataSourceProperties());
        if (pool.getUsername() != null) {
            settings.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            settings.setProperty("password", pool.getPassword());
        }
        Connection direct = DriverManager.getConnection(pool.getJdbcUrl(), settings);
        direct.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        return direct;
    }

    /** The breaker's probe while open: a connection of its own that answers. */
    private void probeDirect(int answerSeconds) throws SQLException {
        try (Connection direct = openDirect()) {
            if (!direct.isValid(answerSeconds)) {
                throw new SQLTransientConnectionException("the database did not answer within " + answerSeconds + " s");
            }
        }
    }

    /** The breaker's check while closed and idle: a pooled connection that answers. */
    private void probePooled(int answerSeconds) throws SQLException {
        try (Connection pooled = getConnection()) {
            if (!pooled.isValid(answerSeconds)) {
                throw new SQLTransientConnectionException("the database did not answer within " + answerSeconds + " s");
            }
        }
    }
}
