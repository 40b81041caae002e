package fun.ai.studio.deploy.persistence;

import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.node.NewNodePolicy;
import fun.ai.studio.deploy.node.RecordedHeartbeat;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.node.RuntimeNodeRepository;
import fun.ai.studio.deploy.persistence.NodeTableWrites.Write;
import fun.ai.studio.deploy.support.Concurrently;
import fun.ai.studio.deploy.support.NewNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Heartbeats of known nodes are held in memory and written in one statement per flush; a new node, changed URLs and
 * figures that flip the disk-aware fit are written before the heartbeat is answered. Runs on H2 in MySQL mode;
 * {@link JpaMariaDbCoalescingRuntimeNodeRepositoryTest} runs the same on MariaDB. Where a test must know whether a
 * flush has landed, it holds the flusher at {@link NodeTableWrites}'s door rather than relying on time.
 */
@ExtendWith(OutputCaptureExtension.class)
class CoalescingRuntimeNodeRepositoryTest {

    static final Instant T0 = Instant.parse("2026-11-28T03:12:31.123Z");
    private static final long FLUSH_MILLIS = 200;
    private static final double DISK_FREE_MIN_PCT = 15;
    private static final int MAX_CONTAINERS = 20;
    private static final Duration WITHIN = Duration.ofSeconds(5);
    private static final DateTimeFormatter UTC_COLUMN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    /** A node's heartbeat columns as the database holds them. */
    private record Stored(Instant at, Double diskFreePct, Long diskFreeBytes, Integer containerCount) {
    }

    /** An empty database: the properties that point the context at it, and a connection for the test's own reads. */
    protected record Database(Map<String, Object> properties, DataSource direct) {
    }

    private final NodeTableWrites writes = new NodeTableWrites();
    private Map<String, Object> properties;
    private ConfigurableApplicationContext context;
    private RuntimeNodeRepository nodes;
    private JdbcTemplate sql;

    protected Database openDatabase() {
        String url = "jdbc:h2:mem:coalesce_" + UUID.randomUUID().toString().replace("-", "")
                + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE;DB_CLOSE_DELAY=-1";
        return new Database(Map.of("spring.datasource.url", url, "spring.datasource.username", "sa",
                "spring.datasource.password", ""), new DriverManagerDataSource(url, "sa", ""));
    }

    /** Called after the context is closed. */
    protected void dropDatabase(JdbcTemplate sql) {
        sql.execute("SHUTDOWN");
    }

    @BeforeEach
    void start() {
        Database database = openDatabase();
        sql = new JdbcTemplate(database.direct());
        properties = new HashMap<>(database.properties());
        properties.put(JpaTestApplication.FLUSH_PROPERTY, FLUSH_MILLIS);
        properties.put("deploy.runtime.placement.strategy", "disk-aware");
        properties.put("deploy.runtime.placement.disk-free-min-pct", DISK_FREE_MIN_PCT);
        properties.put("deploy.runtime.placement.max-containers-per-node", MAX_CONTAINERS);
        startContext();
    }

    private void startContext() {
        context = JpaTestApplication.start(properties, prepared -> prepared.getBeanFactory().addBeanPostProcessor(writes));
        nodes = context.getBean(RuntimeNodeRepository.class);
    }

    @AfterEach
    void stop() {
        writes.open();
        if (context.isActive()) {
            context.close();
        }
        dropDatabase(sql);
    }

    private static Heartbeat beat(String name, Double diskFreePct, Long diskFreeBytes, Integer containerCount) {
        return new Heartbeat(name, "http://10.0.0.1:7005", "https://gw.example.com", diskFreePct, diskFreeBytes,
                containerCount);
    }

    /** Node {@code n}'s beat number {@code round} as the agent sends it: free disk moving in its second decimal. */
    private static Heartbeat agentBeat(int n, int round) {
        return beat("rt-" + n, (7_150 - round) / 100.0, 123_456_789_000L - 4_096L * round - n, 12);
    }

    private RecordedHeartbeat record(Heartbeat heartbeat, Instant now) {
        return nodes.recordHeartbeat(heartbeat, NewNodes.OPEN, now);
    }

    private Stored stored(String name) {
        return sql.queryForObject("""
                SELECT last_heartbeat_at, disk_free_pct, disk_free_bytes, container_count
                  FROM fun_ai_deploy_runtime_node WHERE name = ?""", (row, i) -> new Stored(
                row.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC), row.getObject(2, Double.class),
                row.getObject(3, Long.class), row.getObject(4, Integer.class)), name);
    }

    /** A datetime column's value as a literal: MySQL Connector/J drops the milliseconds of temporal parameters. */
    private static String utc(Instant at) {
        return UTC_COLUMN.format(LocalDateTime.ofInstant(at, ZoneOffset.UTC));
    }

    private static Stored report(Heartbeat heartbeat, Instant at) {
        return new Stored(at, heartbeat.diskFreePct(), heartbeat.diskFreeBytes(), heartbeat.containerCount());
    }

    private static Stored figuresOf(RuntimeNode node) {
        return new Stored(node.lastHeartbeatAt(), node.diskFreePct(), node.diskFreeBytes(), node.containerCount());
    }

    /** From now on the database refuses 666 free bytes: a write that holds them fails. */
    private void refuseBytes666() {
        sql.execute("ALTER TABLE fun_ai_deploy_runtime_node ADD CONSTRAINT refuse_666"
                + " CHECK (disk_free_bytes IS NULL OR disk_free_bytes <> 666)");
    }

    /**
     * Leaves the flusher held at the door with a batch of one other node's report, so everything recorded from now
     * on waits for the flush after it. Clears the writes seen so far.
     */
    private void holdTheFlusherBehindAnotherNode() {
        record(beat("rt-other", null, null, null), T0);
        writes.hold();
        record(beat("rt-other", null, 1L, null), T0.plusMillis(1));
        await().atMost(WITHIN).until(writes::flushHeld);
        writes.clear();
    }

    @Test
    void aHeartbeatOfAKnownNodeIsAnsweredAtOnceReadAtOnceHereAndWrittenWithinOneFlush() {
        record(agentBeat(1, 0), T0);
        Instant later = T0.plusSeconds(60);

        RuntimeNode answered = record(agentBeat(1, 1), later).node();

        assertThat(figuresOf(answered)).isEqualTo(report(agentBeat(1, 1), later));
        assertThat(figuresOf(nodes.findByName("rt-1").orElseThrow())).isEqualTo(report(agentBeat(1, 1), later));
        assertThat(nodes.findAll()).map(CoalescingRuntimeNodeRepositoryTest::figuresOf)
                .containsExactly(report(agentBeat(1, 1), later));
        await().atMost(WITHIN).untilAsserted(() -> assertThat(stored("rt-1")).isEqualTo(report(agentBeat(1, 1), later)));
    }

    @Test
    void agentHeartbeatsWithMovingFiguresAreWrittenInOneStatementPerFlush() {
        int fleet = 50;
        int rounds = 20;
        for (int n = 0; n < fleet; n++) {
            record(agentBeat(n, 0), T0);
        }
        holdTheFlusherBehindAnotherNode();

        for (int round = 1; round <= rounds; round++) {
            for (int n = 0; n < fleet; n++) {
                record(agentBeat(n, round), T0.plusSeconds(round));
            }
        }

        assertThat(writes.writes()).as("no heartbeat was written on its own").isEmpty();
        writes.open();
        Instant last = T0.plusSeconds(rounds);
        await().atMost(WITHIN).untilAsserted(() -> {
            for (int n = 0; n < fleet; n++) {
                assertThat(stored("rt-" + n)).isEqualTo(report(agentBeat(n, rounds), last));
            }
        });
        assertThat(writes.writes()).as("the held flush of the other node, then one statement for the whole fleet")
                .allMatch(Write::byFlusher).extracting(Write::rows).containsExactly(1, fleet);
    }

    @Test
    void aFlushWritesUpToFiveHundredNodesPerStatementAndNeverMovesAReportBackwards() {
        for (int n = 0; n < 600; n++) {
            record(agentBeat(n, 0), T0);
        }
        holdTheFlusherBehindAnotherNode();
        for (int n = 0; n < 600; n++) {
            record(agentBeat(n, 1), T0.plusSeconds(10));
        }
        // Another instance wrote a newer report of rt-0 meanwhile; this instance's older one must not replace it.
        sql.update("""
                UPDATE fun_ai_deploy_runtime_node
                   SET last_heartbeat_at = ?, disk_free_pct = 33.0, disk_free_bytes = 33, container_count = 3
                 WHERE name = 'rt-0'""", utc(T0.plusSeconds(60)));

        writes.open();

        await().atMost(WITHIN).untilAsserted(() -> assertThat(sql.queryForObject(
                "SELECT COUNT(*) FROM fun_ai_deploy_runtime_node WHERE last_heartbeat_at = ?", Long.class,
                utc(T0.plusSeconds(10)))).isEqualTo(599));
        assertThat(stored("rt-0")).isEqualTo(new Stored(T0.plusSeconds(60), 33.0, 33L, 3));
        assertThat(stored("rt-599")).isEqualTo(report(agentBeat(599, 1), T0.plusSeconds(10)));
        List<Write> flushed = writes.writes();
        assertThat(flushed).hasSize(3).allMatch(Write::byFlusher);
        assertThat(flushed.get(0).rows()).as("the held flush of the other node").isEqualTo(1);
        List<Integer> rows = flushed.subList(1, 3).stream().map(Write::rows).toList();
        assertThat(rows).allMatch(written -> written <= 500);
        assertThat(rows.get(0) + rows.get(1)).isEqualTo(599);
    }

    @Test
    void aHeartbeatThatFlipsTheDiskAwareFitIsWrittenBeforeItIsAnswered() {
        record(beat("rt-1", 15.01, 1_000L, 19), T0);
        // Nothing held at the door reaches the database: what it holds below was written before the answer.
        holdTheFlusherBehindAnotherNode();
        Stored fitting = report(beat("rt-1", 15.01, 1_000L, 19), T0);

        record(beat("rt-1", 15.0, 999L, 19), T0.plusSeconds(1));
        assertThat(stored("rt-1")).as("still fits: held").isEqualTo(fitting);

        List<Heartbeat> flips = List.of(
                beat("rt-1", 14.99, 998L, 19),  // free disk below the minimum
                beat("rt-1", 15.0, 997L, 19),   // and back
                beat("rt-1", 15.0, 996L, 20),   // containers at the cap
                beat("rt-1", 15.0, 995L, null), // the count left out: fits again
                beat("rt-1", 10.0, 994L, null), // low disk
                beat("rt-1", null, 993L, null)  // the low figure left out: fits again
        );
        for (int i = 0; i < flips.size(); i++) {
            Instant at = T0.plusSeconds(2 + i);

            RuntimeNode answered = record(flips.get(i), at).node();

            assertThat(stored("rt-1")).as("after %s", flips.get(i)).isEqualTo(report(flips.get(i), at));
            assertThat(figuresOf(answered)).isEqualTo(report(flips.get(i), at));
        }
        assertThat(writes.writes()).as("each flip one write of its own, none by the flusher")
                .hasSize(flips.size()).noneMatch(Write::byFlusher).allMatch(write -> write.rows() == 1);
    }

    @Test
    void aFigureLeftOutOfTheHeartbeatBecomesNullAfterTheFlush() {
        record(beat("rt-1", 50.0, 1_000L, 5), T0);
        holdTheFlusherBehindAnotherNode();

        RuntimeNode answered = record(beat("rt-1", 50.0, null, null), T0.plusSeconds(1)).node();

        Stored leftOut = new Stored(T0.plusSeconds(1), 50.0, null, null);
        assertThat(figuresOf(answered)).isEqualTo(leftOut);
        assertThat(figuresOf(nodes.findByName("rt-1").orElseThrow())).isEqualTo(leftOut);
        assertThat(stored("rt-1")).as("held").isEqualTo(new Stored(T0, 50.0, 1_000L, 5));
        writes.open();
        await().atMost(WITHIN).untilAsserted(() -> assertThat(stored("rt-1")).isEqualTo(leftOut));
    }

    @Test
    void concurrentHeartbeatsForOneNodeLeaveTheNewestTimeWithItsFigures() {
        record(beat("rt-1", 50.0, 0L, 0), T0);

        // Odd beats are under the minimum free disk, so flips written at once race with held reports.
        Concurrently.run(50, i -> record(beat("rt-1", (i % 2 == 0 ? 5_000 + i : 1_000 + i) / 100.0, (long) i, i % 20),
                T0.plusMillis(1 + i)));

        Stored newest = new Stored(T0.plusMillis(50), 10.49, 49L, 9);
        assertThat(figuresOf(nodes.findByName("rt-1").orElseThrow())).isEqualTo(newest);
        await().atMost(WITHIN).untilAsserted(() -> assertThat(stored("rt-1")).isEqualTo(newest));
    }

    @Test
    void aHeartbeatOlderThanOneAlreadyTakenChangesNothing() {
        record(beat("rt-1", 50.0, 1L, 1), T0);
        holdTheFlusherBehindAnotherNode();
        record(beat("rt-1", 60.0, 3L, 3), T0.plusSeconds(3));

        // Would flip the fit, but a newer report is already taken.
        RuntimeNode answered = record(beat("rt-1", 10.0, 2L, 2), T0.plusSeconds(2)).node();

        Stored newest = new Stored(T0.plusSeconds(3), 60.0, 3L, 3);
        assertThat(figuresOf(answered)).isEqualTo(newest);
        assertThat(stored("rt-1")).as("nothing written").isEqualTo(new Stored(T0, 50.0, 1L, 1));
        writes.open();
        await().atMost(WITHIN).untilAsserted(() -> assertThat(stored("rt-1")).isEqualTo(newest));
    }

    @Test
    void whileFlushesFailHeartbeatsAreWrittenThroughAndWhatWasHeldIsWrittenOnceTheyWork() {
        record(beat("rt-1", 50.0, 1L, 1), T0);
        record(beat("rt-2", 50.0, 1L, 1), T0);
        // Every flush fails while rt-1's refused report is pending.
        refuseBytes666();
        record(beat("rt-1", 50.0, 666L, 1), T0.plusSeconds(1));
        AtomicLong bytes = new AtomicLong(1_000);

        // No flush can write rt-2 while they all fail, so finding its figures stored means it was written through.
        await().atMost(WITHIN).untilAsserted(() -> {
            long sent = bytes.incrementAndGet();
            record(beat("rt-2", 50.0, sent, 1), T0.plusMillis(sent));
            assertThat(stored("rt-2").diskFreeBytes()).isEqualTo(sent);
        });
        sql.execute("ALTER TABLE fun_ai_deploy_runtime_node DROP CONSTRAINT refuse_666");

        await().atMost(WITHIN).untilAsserted(() ->
                assertThat(stored("rt-1")).isEqualTo(new Stored(T0.plusSeconds(1), 50.0, 666L, 1)));
        await().atMost(WITHIN).untilAsserted(() -> {
            long sent = bytes.incrementAndGet();
            record(beat("rt-2", 50.0, sent, 1), T0.plusMillis(sent));
            assertThat(stored("rt-2").diskFreeBytes()).as("held again").isNotEqualTo(sent);
        });
    }

    @Test
    void aFlushThatWaitsTooLongForALockKeepsCoalescingAndWritesOnceTheLockIsGone(CapturedOutput output)
            throws Exception {
        record(beat("rt-1", 50.0, 1L, 1), T0);
        record(beat("rt-2", 50.0, 1L, 1), T0);
        // Another session holds rt-1's row, as a transaction the database has not yet rolled back after a
        // partition would: every flush that includes rt-1 waits and gives up.
        try (Connection other = sql.getDataSource().getConnection()) {
            other.setAutoCommit(false);
            try (Statement lock = other.createStatement()) {
                lock.executeQuery("SELECT * FROM fun_ai_deploy_runtime_node WHERE name = 'rt-1' FOR UPDATE").close();
            }
            record(beat("rt-1", 50.0, 2L, 1), T0.plusSeconds(1));
            for (int i = 1; i <= 20; i++) {
                record(beat("rt-2", 50.0, 2L + i, 1), T0.plusSeconds(1).plusMillis(i));
                Thread.sleep(150); // heartbeats spread over three seconds: several flushes come and give up
            }
            assertThat(stored("rt-2").diskFreeBytes()).as("held, not written one by one").isEqualTo(1L);
            other.rollback();
        }

        await().atMost(WITHIN).untilAsserted(() -> {
            assertThat(stored("rt-1")).isEqualTo(new Stored(T0.plusSeconds(1), 50.0, 2L, 1));
            assertThat(stored("rt-2").diskFreeBytes()).isEqualTo(22L);
        });
        assertThat(output).doesNotContain("heartbeats are written one by one");
    }

    @Test
    void aFlipTheDatabaseRefusesFailsTheHeartbeatAndRecordsNothing() {
        record(beat("rt-1", 50.0, 1L, 1), T0);
        refuseBytes666();

        assertThatThrownBy(() -> record(beat("rt-1", 10.0, 666L, 1), T0.plusSeconds(1)))
                .isInstanceOf(DataAccessException.class);

        Stored before = new Stored(T0, 50.0, 1L, 1);
        assertThat(stored("rt-1")).isEqualTo(before);
        assertThat(figuresOf(nodes.findByName("rt-1").orElseThrow())).isEqualTo(before);
    }

    @Test
    void aFlipForANodeDeletedBehindTheServicesBackRegistersItAgain() {
        record(beat("rt-1", 50.0, 1L, 1), T0);
        sql.update("DELETE FROM fun_ai_deploy_runtime_node WHERE name = 'rt-1'");

        RecordedHeartbeat again = record(beat("rt-1", 10.0, 2L, 2), T0.plusSeconds(1));

        assertThat(again.created()).isTrue();
        assertThat(stored("rt-1")).isEqualTo(new Stored(T0.plusSeconds(1), 10.0, 2L, 2));
    }

    @Test
    void aShutdownFlushTheDatabaseRefusesIsLoggedAndTheShutdownCompletes(CapturedOutput output) {
        record(beat("rt-1", 50.0, 1L, 1), T0);
        refuseBytes666();
        record(beat("rt-1", 50.0, 666L, 1), T0.plusSeconds(1));

        context.close();

        assertThat(context.isActive()).isFalse();
        assertThat(output.getAll()).contains("could not write 1 pending heartbeats at shutdown");
        assertThat(stored("rt-1")).isEqualTo(new Stored(T0, 50.0, 1L, 1));
    }

    @Test
    void fiftyConcurrentHeartbeatsForOneNewNameLeaveOneNode() {
        List<RuntimeNode> answers = Concurrently.run(50, i -> record(beat("rt-new", null, null, null),
                T0.plusMillis(i)).node());

        assertThat(answers).extracting(RuntimeNode::id).containsOnly(answers.get(0).id());
        assertThat(sql.queryForObject("SELECT COUNT(*) FROM fun_ai_deploy_runtime_node", Long.class)).isEqualTo(1);
        assertThat(stored("rt-new").at()).isBetween(T0, T0.plusMillis(49));
    }

    @Test
    void aRestartedInstanceCoalescesTheFirstHeartbeatsOfNodesAlreadyInTheTable() {
        int fleet = 20;
        for (int n = 0; n < fleet; n++) {
            record(agentBeat(n, 0), T0);
        }
        context.close();
        // The longest interval, so the first flush cannot have read the table before these heartbeats.
        properties.put(JpaTestApplication.FLUSH_PROPERTY, 1000);
        startContext();
        writes.clear();

        for (int n = 0; n < fleet; n++) {
            record(agentBeat(n, 1), T0.plusSeconds(60));
        }

        assertThat(writes.writes()).as("the burst after a restart waits for the flush, none written on its own")
                .allMatch(Write::byFlusher);
        await().atMost(WITHIN).untilAsserted(() -> {
            for (int n = 0; n < fleet; n++) {
                assertThat(stored("rt-" + n)).isEqualTo(report(agentBeat(n, 1), T0.plusSeconds(60)));
            }
        });
    }

    @Test
    void pendingReportsAreWrittenOnShutdown() {
        record(beat("rt-1", 50.0, 1L, 1), T0);
        writes.hold();
        record(beat("rt-1", 49.5, 2L, 2), T0.plusSeconds(7));

        context.close();

        assertThat(stored("rt-1")).isEqualTo(new Stored(T0.plusSeconds(7), 49.5, 2L, 2));
    }

    @Test
    void anOperatorsChangeOnThisInstanceShowsInTheNextHeartbeatAnswer() {
        record(beat("rt-1", null, null, null), T0);
        nodes.setEnabled("rt-1", false, T0);

        RuntimeNode answered = record(beat("rt-1", null, null, null), T0.plusSeconds(1)).node();

        assertThat(answered.enabled()).isFalse();
    }

    @Test
    void anotherInstancesChangeShowsWithinOneFlush() {
        record(beat("rt-1", null, null, null), T0);
        sql.update("UPDATE fun_ai_deploy_runtime_node SET weight = 7, enabled = 0 WHERE name = 'rt-1'");

        await().atMost(WITHIN).untilAsserted(() -> {
            RuntimeNode answered = record(beat("rt-1", null, null, null), T0.plusSeconds(1)).node();
            assertThat(answered.weight()).isEqualTo(7);
            assertThat(answered.enabled()).isFalse();
        });
    }

    @Test
    void aCoalescedHeartbeatReportsTheUrlsUnchangedAndAMovedOneTheUrlsItReplaced() {
        RecordedHeartbeat created = nodes.recordHeartbeat(beat("rt-1", null, null, null), new NewNodePolicy(false, 1),
                T0);

        RecordedHeartbeat coalesced = nodes.recordHeartbeat(beat("rt-1", null, null, null),
                new NewNodePolicy(false, 1), T0.plusSeconds(1));
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
