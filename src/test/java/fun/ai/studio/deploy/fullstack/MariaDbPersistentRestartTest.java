package fun.ai.studio.deploy.fullstack;

import fun.ai.studio.deploy.support.MariaDbTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.util.Map;

/** The restart on MariaDB. Runs when {@code DEPLOY_TEST_MARIADB=true}. */
@EnabledIfEnvironmentVariable(named = MariaDbTestDatabase.ENABLED_VARIABLE, matches = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbPersistentRestartTest extends PersistentRestartTest {

    private MariaDbTestDatabase database;

    @BeforeAll
    void createSchema() {
        database = MariaDbTestDatabase.create();
    }

    @AfterAll
    void dropSchema() {
        database.close();
    }

    @Override
    Map<String, Object> datasource() {
        return database.springProperties();
    }
}
