package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.TestIds;
import fun.ai.studio.deploy.support.TestTokens;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the minimal consumer of docs/change-feed.md, as printed there, against the service. */
class ChangeFeedPythonClientTest extends InMemoryContractTest {

    private static final Path PAGE = Path.of("docs/change-feed.md");

    private static String client() throws Exception {
        Matcher block = Pattern.compile("```python\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(PAGE));
        assertThat(block.find()).as("%s holds a python block", PAGE).isTrue();
        return block.group(1);
    }

    @Test
    void theDocumentedConsumerListsThenPrintsEveryChangeAfterTheList() throws Exception {
        Path script = Files.createTempFile("change-feed-client-", ".py");
        Files.writeString(script, client());
        ProcessBuilder builder = new ProcessBuilder("python3", script.toString(), "http://127.0.0.1:" + port,
                TestTokens.ADMIN, TestTokens.INTERNAL).redirectErrorStream(true);
        builder.environment().putAll(Map.of("CHANGES_MAX", "3"));
        Process consumer = builder.start();
        try {
            // The consumer's list comes first; changes made before it would be in the list, not the feed.
            String first = new String(consumer.getInputStream().readNBytes(6), StandardCharsets.UTF_8);
            assertThat(first).isEqualTo("listed");
            String node = TestIds.nodeName("py");
            long nodeId = client.heartbeat(node).get("nodeId").longValue();
            String appId = TestIds.appId("py");
            client.ensure(appId);
            client.report(appId, Map.of("status", "RUNNING", "jobId", "job-py"));

            assertThat(consumer.waitFor(30, TimeUnit.SECONDS)).as("the consumer stopped after three entries").isTrue();
            List<String> lines = (first + new String(consumer.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .lines().toList();
            assertThat(consumer.exitValue()).as("%s", lines).isZero();
            assertThat(lines.get(0)).matches("listed \\d+ nodes");
            assertThat(lines.subList(1, lines.size())).hasSize(3);
            assertThat(lines.get(1)).matches("\\d+ node-registered " + nodeId);
            assertThat(lines.get(2)).matches("\\d+ placement-created " + appId);
            assertThat(lines.get(3)).matches("\\d+ app-reported " + appId);
        } finally {
            consumer.destroyForcibly();
            Files.deleteIfExists(script);
        }
    }
}
