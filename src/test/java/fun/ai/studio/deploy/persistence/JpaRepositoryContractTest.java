package fun.ai.studio.deploy.persistence;

import fun.ai.studio.deploy.apprun.AppRun;
import fun.ai.studio.deploy.apprun.AppRunRepository;
import fun.ai.studio.deploy.audit.AuditRepository;
import fun.ai.studio.deploy.changes.ChangeLog;
import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.node.NodeUpsert;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.node.RuntimeNodeRepository;
import fun.ai.studio.deploy.persistence.jpa.CoalescingNodeStores;
import fun.ai.studio.deploy.placement.NodeConditionRepository;
import fun.ai.studio.deploy.placement.PlacementRepository;
import fun.ai.studio.deploy.support.NewNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository contract against the JPA implementation on a real database, plus what only a database has:
 * the stored form of times (UTC wall clock, whatever the JVM's zone) and of {@code enabled} (0/1). One context per
 * class, started like the application, so Flyway and Hibernate's schema validation run against that database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JpaRepositoryContractTest extends RepositoryContractTest {

    // A zone far from UTC, with a half-hour offset, so any conversion through the JVM's zone shows.
    private static final TimeZone JVM_ZONE_DURING_TEST = TimeZone.getTimeZone("Asia/Kolkata");

    private static final DateTimeFormatter STORED_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private TimeZone originalZone;
    private ConfigurableApplicationContext context;
    private JdbcTemplate jdbc;
    private RuntimeNodeRepository coalescing;

    /** Prepares an empty database and returns the Spring properties that point the DataSource at it. */
    protected abstract Map<String, Object> openDatabase();

    /** Disposes of the database after the context is closed. */
    protected abstract void dropDatabase();

    /**
     * 0: the node store is the context's, which writes each heartbeat at once (the service's store at
     * {@code heartbeat-flush-millis=0}). Above 0: the coalescing store the service runs at that flush interval,
     * new for each test over the same tables.
     */
    protected long coalescingFlushMillis() {
        return 0;
    }

    @BeforeAll
    void startPersistenceContext() {
        originalZone = TimeZone.getDefault();
        TimeZone.setDefault(JVM_ZONE_DURING_TEST);
        context = JpaTestApplication.start(openDatabase());
        jdbc = context.getBean(JdbcTemplate.class);
    }

    @AfterAll
    void stopPersistenceContext() {
        try {
            if (context != null) {
                context.close();
            }
            dropDatabase();
        } finally {
            TimeZone.setDefault(originalZone);
        }
    }

    @AfterEach
    void stopCoalescingStore() throws Exception {
        if (coalescing != null) {
            CoalescingNodeStores.stop(coalescing);
            coalescing = null;
        }
    }

    @Override
    protected Repositories emptyRepositories() {
        jdbc.update("DELETE FROM fun_ai_deploy_app_run");
        jdbc.update("DELETE FROM fun_ai_deploy_runtime_placement");
        jdbc.update("DELETE FROM fun_ai_deploy_redeploy");
        jdbc.update("DELETE FROM fun_ai_deploy_runtime_node");
        jdbc.update("DELETE FROM fun_ai_deploy_admin_audit");
        jdbc.update("DELETE FROM fun_ai_deploy_node_condition");
        RuntimeNodeRepository nodeStore = context.getBean(RuntimeNodeRepository.class);
        if (coalescingFlushMillis() > 0) {
            coalescing = CoalescingNodeStores.start(context, coalescingFlushMillis());
            nodeStore = coalescing;
        }
        return new Repositories(nodeStore, context.getBean(PlacementRepository.class),
                context.getBean(AppRunRepository.class), context.getBean(AuditRepository.class),
                context.getBean(ChangeLog.class), context.getBean(NodeConditionRepository.class));
    }

    @Test
    void nodeTimesAreStoredAsUtcWallClockWhateverTheJvmZone() {
        nodes.recordHeartbeat(new Heartbeat("rt-node-01", "http://a:1", "http://b:2", null, null, null), NewNodes.OPEN, T0);
        nodes.upsert(new NodeUpsert("rt-node-01", "http://a:1", "http://b:2", null, null), NewNodes.MAX,
                Instant.parse("2026-11-28T23:59:59.999Z"));

        assertThat(storedTime("fun_ai_deploy_runtime_node", "last_heartbeat_at")).isEqualTo("2026-11-28 03:12:31.123");
        assertThat(storedTime("fun_ai_deploy_runtime_node", "create_time")).isEqualTo("2026-11-28 03:12:31.123");
        assertThat(storedTime("fun_ai_deploy_runtime_node", "update_time")).isEqualTo("2026-11-28 23:59:59.999");
    }

    @Test
    void placementAndAppRunTimesAreStoredAsUtcWallClock() {
        placements.placeIfAbsent("app-1", 1, T0.toEpochMilli());
        runs.save(new AppRun("app-1", 1L, "job-1", "SUCCEEDED", null, 1L, 2L));

        assertThat(storedTime("fun_ai_deploy_runtime_placement", "create_time")).isEqualTo("2026-11-28 03:12:31.123");
        assertThat(jdbc.queryForObject("SELECT last_active_at FROM fun_ai_deploy_runtime_placement", Long.class))
                .isEqualTo(T0.toEpochMilli());
        placements.assign("app-1", 2, Instant.parse("2026-12-01T00:00:00.007Z").toEpochMilli());
        assertThat(storedTime("fun_ai_deploy_runtime_placement", "create_time")).isEqualTo("2026-11-28 03:12:31.123");
        assertThat(storedTime("fun_ai_deploy_runtime_placement", "update_time")).isEqualTo("2026-12-01 00:00:00.007");
        assertThat(storedTime("fun_ai_deploy_app_run", "create_time")).isEqualTo("2026-11-28 03:12:31.456");
        assertThat(storedTime("fun_ai_deploy_app_run", "update_time")).isEqualTo("2026-11-28 03:12:31.456");
    }

    @Test
    void enabledIsStoredAsZeroOrOne() {
        nodes.upsert(new NodeUpsert("on", "http://a:1", "http://b:2", true, null), NewNodes.MAX, T0);
        nodes.upsert(new NodeUpsert("off", "http://a:1", "http://b:2", false, null), NewNodes.MAX, T0);

        assertThat(jdbc.queryForObject("SELECT enabled FROM fun_ai_deploy_runtime_node WHERE name = 'on'",
                Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT enabled FROM fun_ai_deploy_runtime_node WHERE name = 'off'",
                Integer.class)).isZero();
    }

    @Test
    void aRowWrittenByHandIsReadLikeTheSeedWroteIt() {
        jdbc.update("""
                INSERT INTO fun_ai_deploy_runtime_node (name, agent_base_url, gateway_base_url, enabled, weight,
                       last_heartbeat_at, create_time, update_time)
                VALUES ('seeded', 'http://a:1', 'http://b:2', 0, 5, '2026-11-28 03:12:31.123',
                        '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000')""");

        RuntimeNode node = nodes.findByName("seeded").orElseThrow();

        assertThat(node.enabled()).isFalse();
        assertThat(node.weight()).isEqualTo(5);
        assertThat(node.lastHeartbeatAt()).isEqualTo(T0);
        assertThat(RuntimeNode.DEFAULT_WEIGHT).isNotEqualTo(node.weight());
    }

    @Test
    void updatedSinceReportsTheRowsThatMayHaveStartedOrStoppedTakingAppsSinceThen() {
        Instant since = T0.plusSeconds(10);
        for (String name : List.of("disabled-before", "disabled-since", "watched", "quiet")) {
            nodes.upsert(new NodeUpsert(name, "http://a:1", "http://b:2", null, null), NewNodes.MAX, T0);
        }
        long watched = nodes.findByName("watched").orElseThrow().id();
        nodes.setEnabled("disabled-before", false, since.minusMillis(1));
        nodes.setEnabled("disabled-since", false, since);
        nodes.setEnabled("watched", true, since.plusSeconds(1));
        nodes.setEnabled("quiet", true, since.plusSeconds(1));
        nodes.upsert(new NodeUpsert("created-since", "http://a:1", "http://b:2", null, null), NewNodes.MAX,
                since.plusSeconds(2));

        assertThat(names(nodes.findUpdatedSince(since, List.of(watched))))
                .containsExactlyInAnyOrder("disabled-since", "watched", "created-since");
        assertThat(names(nodes.findUpdatedSince(since, List.of()))).containsExactlyInAnyOrder("disabled-since", "created-since");
        assertThat(names(nodes.findUpdatedSince(since, null)))
                .containsExactlyInAnyOrder("disabled-since", "watched", "quiet", "created-since");
    }

    private static List<String> names(List<RuntimeNode> found) {
        return found.stream().map(RuntimeNode::name).toList();
    }

    /** The single row's datetime column as stored, read by the driver without any time zone conversion. */
    private String storedTime(String table, String column) {
        LocalDateTime value = jdbc.queryForObject("SELECT " + column + " FROM " + table, LocalDateTime.class);
        return value == null ? null : STORED_TIME.format(value);
    }
}
