package fun.ai.studio.deploy.persistence;

import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.node.RuntimeNodeRepository;
import fun.ai.studio.deploy.placement.MoveReason;
import fun.ai.studio.deploy.placement.Placement;
import fun.ai.studio.deploy.placement.PlacementRepository.PlaceResult;
import fun.ai.studio.deploy.placement.PlacementRepository;
import fun.ai.studio.deploy.support.Concurrently;
import fun.ai.studio.deploy.support.MariaDbTestDatabase;
import fun.ai.studio.deploy.support.NewNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application instances sharing one MariaDB schema keep the concurrency promises between them, not just
 * within one process. Runs when {@code DEPLOY_TEST_MARIADB=true}.
 */
@EnabledIfEnvironmentVariable(named = MariaDbTestDatabase.ENABLED_VARIABLE, matches = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JpaMariaDbSharedDatabaseTest {

    private static final Instant NOW = Instant.parse("2026-11-28T03:12:31.123Z");

    private MariaDbTestDatabase database;
    private ConfigurableApplicationContext first;
    private ConfigurableApplicationContext second;

    @BeforeAll
    void startTwoInstancesOnOneSchema() {
        database = MariaDbTestDatabase.create();
        first = JpaTestApplication.start(database.springProperties());
        second = JpaTestApplication.start(database.springProperties());
    }

    @AfterAll
    void stopInstancesAndDropSchema() {
        try {
            for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[]{first, second}) {
                if (context != null) {
                    context.close();
                }
            }
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    @BeforeEach
    void startFromEmptyTables() {
        JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
        jdbc.update("DELETE FROM fun_ai_deploy_app_run");
        jdbc.update("DELETE FROM fun_ai_deploy_runtime_placement");
        jdbc.update("DELETE FROM fun_ai_deploy_runtime_node");
    }

    @Test
    void heartbeatsForOneNewNameRacingOnTwoInstancesLeaveOneNode() {
        List<RuntimeNode> results = Concurrently.run(50, i -> nodes(i).recordHeartbeat(
                new Heartbeat("rt-node-shared", "http://a:1", "http://b:2", null, null, i),
                        NewNodes.OPEN, NOW.plusMillis(i)).node());

        assertThat(results).extracting(RuntimeNode::id).containsOnly(results.get(0).id());
        assertThat(nodes(0).findAll()).hasSize(1);
        assertThat(nodes(1).findAll()).hasSize(1);
    }

    @Test
    void placeIfAbsentRacingOnTwoInstancesStoresOneRowThatEveryCallerGets() {
        List<PlaceResult> results = Concurrently.run(64, i -> placements(i).placeIfAbsent("app-shared", 100 + i, i));

        Placement stored = placements(1).find("app-shared").orElseThrow();
        assertThat(results).extracting(PlaceResult::placement).containsOnly(stored);
        assertThat(results).filteredOn(PlaceResult::created).hasSize(1);
    }

    @Test
    void drainsOfTheSameAppsRacingOnTwoInstancesMoveEachAppOnce() {
        Map<String, Long> toNode2 = new LinkedHashMap<>();
        Map<String, Long> toNode3 = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            String appId = String.format("app-%04d", i);
            placements(i).placeIfAbsent(appId, 1, i);
            toNode2.put(appId, 2L);
            toNode3.put(appId, 3L);
        }

        List<Map<Long, Integer>> results = Concurrently.run(8,
                i -> placements(i).moveApps(1, i % 4 < 2 ? toNode2 : toNode3, 1_000L, MoveReason.DRAIN));

        int moved = results.stream().flatMap(r -> r.values().stream()).mapToInt(Integer::intValue).sum();
        assertThat(moved).isEqualTo(200);
        assertThat(placements(0).countByNode(2) + placements(1).countByNode(3)).isEqualTo(200);
        assertThat(placements(1).countByNode(1)).isZero();
    }

    @Test
    void drainsOfTheFirstAppsRacingOnTwoInstancesMoveEachAppOnce() {
        for (int i = 0; i < 400; i++) {
            placements(i).placeIfAbsent(String.format("app-%04d", i), 1, i);
        }

        // Up to 8 x 50 apps: each call either moves its 50 or stops early because the others took the rest.
        List<Integer> moved = Concurrently.run(8, i -> placements(i).moveFirstApps(1, i % 4 < 2 ? 2 : 3, 50, 1_000L, MoveReason.DRAIN));

        assertThat(moved).allSatisfy(n -> assertThat(n).isBetween(0, 50));
        int movedTo2 = moved.get(0) + moved.get(1) + moved.get(4) + moved.get(5);
        int movedTo3 = moved.get(2) + moved.get(3) + moved.get(6) + moved.get(7);
        assertThat(placements(0).countByNode(2)).isEqualTo(movedTo2);
        assertThat(placements(1).countByNode(3)).isEqualTo(movedTo3);
        assertThat(placements(0).countByNode(1)).isEqualTo(400 - movedTo2 - movedTo3);
    }

    @Test
    void anOperatorsDisableOnOneInstanceSurvivesHeartbeatsOnTheOther() {
        nodes(0).recordHeartbeat(new Heartbeat("rt-node-01", "http://a:1", "http://b:2", null, null, null),
                NewNodes.OPEN, NOW);

        Concurrently.run(30, i -> i == 15
                ? nodes(0).setEnabled("rt-node-01", false, NOW)
                : nodes(1).recordHeartbeat(new Heartbeat("rt-node-01", "http://a:1", "http://b:2", null, null, i),
                        NewNodes.OPEN,
                NOW.plusMillis(i)).node() != null);

        assertThat(nodes(0).findByName("rt-node-01")).get().extracting(RuntimeNode::enabled).isEqualTo(false);
    }

    private RuntimeNodeRepository nodes(int call) {
        return instance(call).getBean(RuntimeNodeRepository.class);
    }

    private PlacementRepository placements(int call) {
        return instance(call).getBean(PlacementRepository.class);
    }

    /** Alternates calls between the two instances. */
    private ConfigurableApplicationContext instance(int call) {
        return call % 2 == 0 ? first : second;
    }
}
