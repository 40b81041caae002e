package fun.ai.studio.deploy.fullstack;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/** The restart on an H2 database file (MySQL mode), so the durability test runs on every machine. */
class H2FilePersistentRestartTest extends PersistentRestartTest {

    @TempDir
    Path directory;

    @Override
    Map<String, Object> datasource() {
        return Map.of("spring.datasource.url", "jdbc:h2:file:" + directory.resolve("deploy")
                        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE",
                "spring.datasource.username", "sa", "spring.datasource.password", "");
    }
}
