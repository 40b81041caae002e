package fun.ai.studio.deploy.persistence.schema;

import lombok.extern.slf4j.Slf4j;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * A MySQL/MariaDB named lock held while one instance looks at the schema and migrates it, so instances started
 * together decide one after the other: the second sees what the first did. A named lock locks no table. Other
 * databases (H2 in tests) have one instance per schema and take no lock.
 */
@Slf4j
final class SchemaLock implements AutoCloseable {

    static final String NAME = "fun_ai_deploy_schema";

    // Asked for in short waits, so no single statement outlasts the driver's socket timeout.
    private static final int WAIT_SECONDS_PER_TRY = 5;

    private final Connection connection;

    private SchemaLock(Connection connection) {
        this.connection = connection;
    }

    /** Takes the lock on {@code connection}, waiting at most {@code patience} for another instance to finish. */
    static SchemaLock acquire(Connection connection, Duration patience) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        if (!product.equalsIgnoreCase("MySQL") && !product.equalsIgnoreCase("MariaDB")) {
            return new SchemaLock(null);
        }
        Instant giveUp = Instant.now().plus(patience);
        try (PreparedStatement getLock = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            getLock.setString(1, NAME);
            getLock.setInt(2, WAIT_SECONDS_PER_TRY);
            while (true) {
                try (ResultSet result = getLock.executeQuery()) {
                    result.next();
                    if (result.getInt(1) == 1) {
                        return new SchemaLock(connection);
                    }
                }
                if (Instant.now().isAfter(giveUp)) {
                    throw new IllegalStateException("Another instance has held the schema lock '" + NAME
                            + "' for over " + patience.toSeconds() + " s; is its migration stuck?");
                }
                log.info("Waiting for another instance to finish with the schema (lock '{}')", NAME);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        if (connection != null) {
            try (PreparedStatement release = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                release.setString(1, NAME);
                release.execute();
            }
        }
    }
}
