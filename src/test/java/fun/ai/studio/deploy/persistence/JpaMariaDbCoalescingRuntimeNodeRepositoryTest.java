package fun.ai.studio.deploy.persistence;

import fun.ai.studio.deploy.support.MariaDbTestDatabase;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The coalescing tests on a real MariaDB/MySQL server, one schema of its own per test: MySQL evaluates an UPDATE's
 * assignments and compares datetimes with strings in its own ways. Runs when {@code DEPLOY_TEST_MARIADB=true}.
 */
@EnabledIfEnvironmentVariable(named = MariaDbTestDatabase.ENABLED_VARIABLE, matches = "true")
class JpaMariaDbCoalescingRuntimeNodeRepositoryTest extends CoalescingRuntimeNodeRepositoryTest {

    private MariaDbTestDatabase database;

    @Override
    protected Database openDatabase() {
        database = MariaDbTestDatabase.create();
        return new Database(database.springProperties(),
                new DriverManagerDataSource(database.jdbcUrl(), database.username(), database.password()));
    }

    @Override
    protected void dropDatabase(JdbcTemplate sql) {
        database.close();
    }
}
