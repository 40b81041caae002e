package fun.ai.studio.deploy.persistence;

import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.node.NewNodePolicy;
import fun.ai.studio.deploy.node.RecordedHeartbeat;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.node.RuntimeNodeRepository;
import fun.ai.studio.deploy.support.Concurrently;
import fun.ai.studio.deploy.support.NewNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Heartbeats that change only the time are held in memory and written in one statement per flush, on H2 in
 * MySQL mode; everything else is written before the heartbeat is answered.
 */
class CoalescingRuntimeNodeRepositoryTest {

    private static final Instant T0 = Instant.parse("2026-11-28T03:12:31.123Z");
    private static final long FLUSH_MILLIS = 200;

    private final String url = "jdbc:h2:mem:coalesce_" + UUID.randomUUID().toString().replace("-", "")
            + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE;DB_CLOSE_DELAY=-1";
    private final JdbcTemplate sql = new JdbcTemplate(new DriverManagerDataSource(url, "sa", ""));
    private ConfigurableApplicationContext context;
    private RuntimeNodeRepository nodes;

    @BeforeEach
    void start() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.datasource.url", url);
        properties.put("spring.datasource.username", "sa");
        properties.put("spring.datasource.password", "");
        properties.put(JpaTestApplication.FLUSH_PROPERTY, FLUSH_MILLIS);
        context = JpaTestApplication.start(properties);
        nodes = context.getBean(RuntimeNodeRepository.class);
    }

    @AfterEach
    void stop() {
        if (context.isActive()) {
            context.close();
        }
        sql.execute("SHUTDOWN");
    }

    private static Heartbeat beat(String name, Double diskFreePct) {
        return new Heartbeat(name, "http://10.0.0.1:7005", "https://gw.example.com", diskFreePct, null, null);
    }

    private Instant storedTime(String name) {
        Timestamp stored = sql.queryForObject(
                "SELECT last_heartbeat_at FROM fun_ai_deploy_runtime_node WHERE name = ?", Timestamp.class, name);
        return stored == null ? null : stored.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }

    @Test
    void aTimeOnlyHeartbeatIsAnsweredAtOnceAndWrittenWithinOneFlush() {
        nodes.recordHeartbeat(beat("rt-1", 50.0), NewNodes.OPEN, T0);
        Instant later = T0.plusSeconds(5);

        RuntimeNode answered = nodes.recordHeartbeat(beat("rt-1", 50.0), NewNodes.OPEN, later).node();

        assertThat(answered.lastHeartbeatAt()).isEqualTo(later);
        assertThat(nodes.findByName("rt-1").orElseThrow().lastHeartbeatAt()).isEqualTo(later);
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(storedTime("rt-1")).isEqualTo(later));
    }

    @Test
    void changedFiguresAreWrittenBeforeTheHeartbeatIsAnswered() {
        nodes.recordHeartbeat(beat("rt-1", 50.0), NewNodes.OPEN, T0);

        nodes.recordHeartbeat(beat("rt-1", 49.0), NewNodes.OPEN, T0.plusSeconds(5));

        assertThat(sql.queryForObject("SELECT disk_free_pct FROM fun_ai_deploy_runtime_node WHERE name = 'rt-1'",
                Double.class)).isEqualTo(49.0);
        assertThat(storedTime("rt-1")).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void manyNodesAreWrittenInOneFlushAndATimeNeverMovesBackwards() {
        for (int i = 0; i < 600; i++) {
            nodes.recordHeartbeat(beat("rt-" + i, null), NewNodes.OPEN, T0);
        }
        for (int i = 0; i < 600; i++) {
            nodes.recordHeartbeat(beat("rt-" + i, null), NewNodes.OPEN, T0.plusSeconds(10));
        }
        // Another instance wrote a newer time for rt-0 meanwhile; this instance's older pending time must not win.
        sql.update("UPDATE fun_ai_deploy_runtime_node SET last_heartbeat_at = ? WHERE name = 'rt-0'",
                LocalDateTime.ofInstant(T0.plusSeconds(60), ZoneOffset.UTC));

        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(sql.queryForObject(
                "SELECT COUNT(*) FROM fun_ai_deploy_runtime_node WHERE last_heartbeat_at = ?", Long.class,
                LocalDateTime.ofInstant(T0.plusSeconds(10), ZoneOffset.UTC))).isEqualTo(599));
        assertThat(storedTime("rt-0")).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void fiftyConcurrentHeartbeatsForOneNewNameLeaveOneNode() {
        List<RuntimeNode> answers = Concurrently.run(50, i -> nodes.recordHeartbeat(beat("rt-new", null),
                NewNodes.OPEN, T0.plusMillis(i)).node());

        assertThat(answers).extracting(RuntimeNode::id).containsOnly(answers.get(0).id());
        assertThat(sql.queryForObject("SELECT COUNT(*) FROM fun_ai_deploy_runtime_node", Long.class)).isEqualTo(1);
        assertThat(storedTime("rt-new")).isBetween(T0, T0.plusMillis(49));
    }

    @Test
    void pendingTimesAreWrittenOnShutdown() {
        nodes.recordHeartbeat(beat("rt-1", null), NewNodes.OPEN, T0);
        nodes.recordHeartbeat(beat("rt-1", null), NewNodes.OPEN, T0.plusSeconds(7));

        context.close();

        assertThat(storedTime("rt-1")).isEqualTo(T0.plusSeconds(7));
    }

    @Test
    void anOperatorsChangeOnThisInstanceShowsInTheNextHeartbeatAnswer() {
        nodes.recordHeartbeat(beat("rt-1", null), NewNodes.OPEN, T0);
        nodes.setEnabled("rt-1", false, T0);

        RuntimeNode answered = nodes.recordHeartbeat(beat("rt-1", null), NewNodes.OPEN, T0.plusSeconds(1)).node();

        assertThat(answered.enabled()).isFalse();
    }

    @Test
    void anotherInstancesChangeShowsWithinOneFlush() {
        nodes.recordHeartbeat(beat("rt-1", null), NewNodes.OPEN, T0);
        sql.update("UPDATE fun_ai_deploy_runtime_node SET weight = 7, enabled = 0 WHERE name = 'rt-1'");

        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            RuntimeNode answered = nodes.recordHeartbeat(beat("rt-1", null), NewNodes.OPEN, T0.plusSeconds(1)).node();
            assertThat(answered.weight()).isEqualTo(7);
            assertThat(answered.enabled()).isFalse();
        });
    }

    @Test
    void aCoalescedHeartbeatReportsTheUrlsUnchangedAndAMovedOneTheUrlsItReplaced() {
        RecordedHeartbeat created = nodes.recordHeartbeat(beat("rt-1", null), new NewNodePolicy(false, 1), T0);

        RecordedHeartbeat coalesced = nodes.recordHeartbeat(beat("rt-1", null), new NewNodePolicy(false, 1),
                T0.plusSeconds(1));
        RecordedHeartbeat moved = nodes.recordHeartbeat(new Heartbeat("rt-1", "http://10.0.0.2:7005",
                "https://gw.example.com", null, null, null), new NewNodePolicy(false, 1), T0.plusSeconds(2));

        assertThat(created.created()).isTrue();
        assertThat(created.node().enabled()).as("created as the policy says").isFalse();
        assertThat(coalesced.created()).isFalse();
        assertThat(coalesced.urlsChanged()).isFalse();
        assertThat(coalesced.node().lastHeartbeatAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(moved.urlsChanged()).isTrue();
        assertThat(moved.previousAgentBaseUrl()).isEqualTo("http://10.0.0.1:7005");
        assertThat(sql.queryForObject("SELECT agent_base_url FROM fun_ai_deploy_runtime_node WHERE name = 'rt-1'",
                String.class)).as("written before the answer").isEqualTo("http://10.0.0.2:7005");
    }
}
