package fun.ai.studio.deploy.persistence.jpa;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * The connection pool, plus one direct connection attempt when the pool gives up. After an outage HikariCP
 * retries opening connections with a backoff that grows to 5 s, so a pool can stay empty for seconds after
 * the database is back; a request that timed out on the pool then opens a connection of its own (closed,
 * not pooled, when the request is done), so service resumes within one pool timeout of the database's return.
 * While the database is still down the direct attempt fails too and the pool's timeout is what the caller sees.
 */
class ReconnectingDataSource extends DelegatingDataSource {

    private final HikariDataSource pool;

    ReconnectingDataSource(HikariDataSource pool) {
        super(pool);
        this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            return pool.getConnection();
        } catch (SQLTransientConnectionException poolTimedOut) {
            try {
                Connection direct = DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
                direct.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                return direct;
            } catch (SQLException stillDown) {
                poolTimedOut.addSuppressed(stillDown);
                throw poolTimedOut;
            }
        }
    }
}
