package fun.ai.studio.deploy.fullstack;

import fun.ai.studio.deploy.support.MariaDbTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Two application instances started on one fresh MariaDB schema for the whole test class, and stopped with it.
 * Subclasses carry {@code @EnabledIfEnvironmentVariable} on {@link MariaDbTestDatabase#ENABLED_VARIABLE}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TwoInstancesOnMariaDb {

    private MariaDbTestDatabase database;
    RunningService first;
    RunningService second;

    @BeforeAll
    void startTwoInstances() {
        database = MariaDbTestDatabase.create();
        first = RunningService.start(database.springProperties());
        second = RunningService.start(database.springProperties());
    }

    @AfterAll
    void stopInstances() {
        try (MariaDbTestDatabase db = database; RunningService a = first; RunningService b = second) {
            // try-with-resources closes all three, even when one close fails
        }
    }
}
