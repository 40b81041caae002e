package fun.ai.studio.deploy.persistence;

import fun.ai.studio.deploy.support.MariaDbTestDatabase;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.util.Map;

/** The contract on a real MariaDB/MySQL server, in a schema of its own; runs when {@code DEPLOY_TEST_MARIADB=true}. */
@EnabledIfEnvironmentVariable(named = MariaDbTestDatabase.ENABLED_VARIABLE, matches = "true")
class JpaMariaDbRepositoryContractTest extends JpaRepositoryContractTest {

    private MariaDbTestDatabase database;

    @Override
    protected Map<String, Object> openDatabase() {
        database = MariaDbTestDatabase.create();
        return database.springProperties();
    }

    @Override
    protected void dropDatabase() {
        if (database != null) {
            database.close();
        }
    }
}
