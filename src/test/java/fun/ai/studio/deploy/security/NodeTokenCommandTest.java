package fun.ai.studio.deploy.security;

import fun.ai.studio.deploy.config.AdminProperties;
import fun.ai.studio.deploy.config.InternalApiProperties;
import fun.ai.studio.deploy.config.RegistryProperties;
import fun.ai.studio.deploy.config.RegistryProperties.NodeAuth;
import fun.ai.studio.deploy.config.RegistryProperties.Registration;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The {@code openssl} line the runbooks give for deriving a node's token, run as written: it must print what the
 * service hands out.
 */
class NodeTokenCommandTest {

    private static final List<Path> RUNBOOKS = List.of(Path.of("docs", "operations.md"), Path.of("docs", "operations.zh.md"));
    private static final String SECRET = "7c1d0e9f3b2a45688f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a6978";

    private static String commandIn(Path runbook) throws IOException {
        List<String> lines = Files.readAllLines(runbook, StandardCharsets.UTF_8).stream()
                .filter(line -> line.contains("openssl dgst -sha256 -hmac")).toList();
        assertThat(lines).as("the token command in %s", runbook).hasSize(1);
        return lines.get(0).strip();
    }

    @Test
    void bothRunbooksGiveTheSameCommand() throws IOException {
        assertThat(commandIn(RUNBOOKS.get(1))).isEqualTo(commandIn(RUNBOOKS.get(0)));
    }

    @Test
    void theRunbookCommandPrintsTheTokenTheServiceHandsOut() throws IOException, InterruptedException {
        assumeThat(onPath("openssl")).as("openssl is installed").isTrue();
        ApiSecrets secrets = new ApiSecrets(new AdminProperties(false, null, List.of()),
                new RegistryProperties(true, SECRET, List.of(), 60, NodeAuth.PER_NODE, null, null, Registration.OPEN,
                        10_000),
                new InternalApiProperties(false, null, List.of()), new MockEnvironment(), Clock.systemUTC());

        for (String name : List.of("rt-node-07", "A", "Node.With-All_Kinds.0", "n".repeat(64))) {
            ProcessBuilder shell = new ProcessBuilder("sh", "-c", commandIn(RUNBOOKS.get(0))).redirectErrorStream(true);
            shell.environment().put("NAME", name);
            shell.environment().put("DEPLOY_NODE_SECRET", SECRET);
            Process process = shell.start();
            String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(printed).as("for node %s", name).isEqualTo(secrets.nodeToken(name));
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }
}
