package fun.ai.studio.deploy.persistence;

import java.util.Map;
import java.util.UUID;

/** The contract on H2 in MySQL mode: the same Flyway script, native statements and validation as on MySQL. */
class JpaH2RepositoryContractTest extends JpaRepositoryContractTest {

    @Override
    protected Map<String, Object> openDatabase() {
        // A private in-memory database per class; it disappears when the context closes its last connection.
        return Map.of("spring.datasource.url", "jdbc:h2:mem:deploy_" + UUID.randomUUID().toString().replace("-", "")
                        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE",
                "spring.datasource.username", "sa",
                "spring.datasource.password", "");
    }

    @Override
    protected void dropDatabase() {
        // Nothing to drop: see openDatabase.
    }
}
