package fun.ai.studio.deploy.fullstack;

import fun.ai.studio.deploy.persistence.schema.EarlierTablesDoNotFit;
import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.EarlierServiceSchema;
import fun.ai.studio.deploy.support.MariaDbTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The service started on a copy of the earlier deploy service's schema, beside other tables, takes it over in place:
 * everything that service stored reads back the same over HTTP, and nothing that is not this service's changes.
 * Runs when {@code DEPLOY_TEST_MARIADB=true}.
 */
@EnabledIfEnvironmentVariable(named = MariaDbTestDatabase.ENABLED_VARIABLE, matches = "true")
class EarlierServiceTakeoverMariaDbTest {

    private static final long NODE_01 = 692092437936L;
    private static final long NODE_02 = 692406145360L;
    private static final long NODE_03 = 692497039497L;
    /** 2026-12-01 21:12:43 in Shanghai, as the fixture stores the heartbeats. */
    private static final Instant FIXTURE_HEARTBEAT = Instant.parse("2026-12-01T13:12:43Z");

    private MariaDbTestDatabase database;
    private EarlierServiceSchema schema;

    @BeforeEach
    void loadEarlierServiceSchema() {
        database = MariaDbTestDatabase.create();
        schema = EarlierServiceSchema.loadInto(database);
    }

    @AfterEach
    void dropSchema() {
        database.close();
    }

    @Test
    void everyNodePlacementAndAppRunReadsBackAfterTheTakeoverAndNothingElseChanges() {
        long otherTable = schema.checksum(EarlierServiceSchema.OTHER_APPLICATIONS_TABLE);
        long jobTable = schema.checksum(EarlierServiceSchema.JOB_TABLE);

        try (RunningService service = RunningService.start(database.springProperties())) {
            DeployClient api = service.client();
            JsonNode nodes = api.nodes();
            assertThat(nodes).hasSize(3);
            assertNode(nodes.get(0), NODE_01, "rt-node-01", "http://10.0.0.11:7005", "https://gw1.example.com", true);
            assertNode(nodes.get(1), NODE_02, "rt-node-02", "http://10.0.0.12:7005", "https://gw2.example.com", true);
            assertNode(nodes.get(2), NODE_03, "rt-node-03", "http://10.0.0.13:7005", "https://gw3.example.com", false);

            Map<String, Long> placed = Map.of("101", NODE_02, "102", NODE_02, "103", NODE_02, "104", NODE_02,
                    "200", NODE_01);
            Map<String, Long> lastActive = Map.of("101", 1796130766337L, "102", 1796130766504L,
                    "103", 1796130766595L, "104", 1796130766733L, "200", 1796130766862L);
            placed.forEach((appId, nodeId) -> {
                JsonNode placement = api.placement(appId);
                assertThat(placement.get("nodeId").asLong()).as(appId).isEqualTo(nodeId);
                assertThat(placement.get("lastActiveAt").asLong()).as(appId).isEqualTo(lastActive.get(appId));
            });
            assertThat(api.placements(NODE_02, 0, 200).get("total").asLong()).isEqualTo(4);

            JsonNode succeeded = api.app("101").get("run");
            assertThat(succeeded.get("nodeId").asLong()).isEqualTo(NODE_02);
            assertThat(succeeded.get("lastJobId").asString()).isEqualTo("job-7f3a");
            assertThat(succeeded.get("lastJobStatus").asString()).isEqualTo("SUCCEEDED");
            assertThat(succeeded.get("lastDeployedAt").asLong()).isEqualTo(1796131200000L);
            assertThat(succeeded.get("lastActiveAt").asLong()).isEqualTo(1796131200000L);
            assertThat(succeeded.get("lastError").isNull()).isTrue();
            JsonNode failed = api.app("102").get("run");
            assertThat(failed.get("lastJobStatus").asString()).isEqualTo("FAILED");
            assertThat(failed.get("lastError").asString()).isEqualTo("npm install failed: exit 1");
            assertThat(failed.get("lastDeployedAt").isNull()).isTrue();

            // The nodes' agents beat again after the cut-over; then every placed app stays where it was.
            api.heartbeat("rt-node-01");
            api.heartbeat("rt-node-02");
            placed.forEach((appId, nodeId) -> {
                JsonNode ensured = api.ensure(appId);
                assertThat(ensured.get("nodeId").asLong()).as(appId).isEqualTo(nodeId);
                assertThat(ensured.get("created").asBoolean()).as(appId).isFalse();
            });

            JsonNode newcomer = api.heartbeat("rt-node-04");
            assertThat(newcomer.get("nodeId").asLong()).isGreaterThan(NODE_03);
        }

        assertThat(schema.checksum(EarlierServiceSchema.OTHER_APPLICATIONS_TABLE)).isEqualTo(otherTable);
        assertThat(schema.checksum(EarlierServiceSchema.JOB_TABLE)).isEqualTo(jobTable);
        assertThat(schema.rows("SELECT create_time, update_time FROM fun_ai_deploy_runtime_node WHERE id = " + NODE_03))
                .containsExactly(Map.of("create_time", LocalDateTime.parse("2026-12-01T13:12:43"),
                        "update_time", LocalDateTime.parse("2026-12-01T13:12:47")));
        assertThat(columnTypes()).containsEntry("fun_ai_deploy_runtime_node.id", "bigint(20) NOT NULL auto_increment")
                .containsEntry("fun_ai_deploy_runtime_node.enabled", "tinyint(4) NOT NULL")
                .containsEntry("fun_ai_deploy_runtime_node.last_heartbeat_at", "datetime(3)")
                .containsEntry("fun_ai_deploy_runtime_node.name", "varchar(64) ascii_bin NOT NULL")
                .containsEntry("fun_ai_deploy_runtime_placement.app_id", "varchar(128) ascii_bin NOT NULL")
                .containsEntry("fun_ai_deploy_runtime_placement.create_time", "datetime(3) NOT NULL")
                .containsEntry("fun_ai_deploy_app_run.app_id", "varchar(128) ascii_bin NOT NULL")
                .containsEntry("fun_ai_deploy_app_run.last_job_id", "varchar(128)")
                .containsEntry("fun_ai_deploy_app_run.last_error", "varchar(4000)")
                .containsEntry("fun_ai_deploy_app_run.update_time", "datetime(3) NOT NULL");
        assertThat(schema.rows("SHOW INDEX FROM fun_ai_deploy_runtime_placement"))
                .extracting(row -> row.get("Key_name")).contains("idx_fun_ai_deploy_runtime_placement_node");
        assertThat(schema.rows("SELECT version, description FROM fun_ai_deploy_schema_history ORDER BY installed_rank"))
                .extracting(row -> row.get("version"))
                .containsExactly("1", "1.1", "2", "3", "4", "5", "6");
    }

    @Test
    void aSecondStartChangesNothing() {
        try (RunningService first = RunningService.start(database.springProperties())) {
            assertThat(first.client().nodes()).hasSize(3);
        }
        Map<String, String> afterFirst = schema.fingerprint();
        try (RunningService second = RunningService.start(database.springProperties())) {
            assertThat(second.client().nodes()).hasSize(3);
            assertThat(second.client().placement("200").get("nodeId").asLong()).isEqualTo(NODE_01);
        }
        assertThat(schema.fingerprint()).isEqualTo(afterFirst);
    }

    @Test
    void twoInstancesStartedAtOnceUpgradeOnceAndBothServe() {
        List<CompletableFuture<RunningService>> starting = IntStream.range(0, 2)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> RunningService.start(database.springProperties())))
                .toList();
        List<RunningService> services = starting.stream().map(CompletableFuture::join).toList();
        try {
            for (RunningService service : services) {
                assertThat(service.client().nodes()).hasSize(3);
                assertThat(service.client().placement("101").get("nodeId").asLong()).isEqualTo(NODE_02);
            }
        } finally {
            services.forEach(RunningService::close);
        }
        assertThat(schema.rows("SELECT version FROM fun_ai_deploy_schema_history ORDER BY installed_rank"))
                .extracting(row -> row.get("version"))
                .containsExactly("1", "1.1", "2", "3", "4", "5", "6");
    }

    @Test
    void rowsThatDoNotFitStopStartUpNamingThemAndNothingChanges() {
        schema.execute(List.of(
                "INSERT INTO fun_ai_deploy_runtime_node VALUES (692600000001, 'http://10.0.0.14:7005', 0, NULL, NULL,"
                        + " NULL, 1, 'https://gw4.example.com', NULL, 'rt node 04', NULL, 100)",
                "INSERT INTO fun_ai_deploy_runtime_placement VALUES ('300', NULL, 1796130766900, 692600009999, NULL)",
                "INSERT INTO fun_ai_deploy_runtime_placement VALUES ('app/301', NULL, 1796130766901, " + NODE_01 + ", NULL)",
                "INSERT INTO fun_ai_deploy_app_run VALUES ('104', NULL, NULL, NULL, NULL, 'job-1', 'DEPLOYING', NULL, NULL)"));
        Map<String, String> before = schema.fingerprint();

        assertThatThrownBy(() -> RunningService.start(database.springProperties()))
                .hasRootCauseInstanceOf(EarlierTablesDoNotFit.class)
                .rootCause()
                .hasMessageContaining("4 rows do not fit")
                .hasMessageContaining("fun_ai_deploy_runtime_node id=692600000001: name 'rt node 04' is not")
                .hasMessageContaining("fun_ai_deploy_runtime_placement app_id='300': its node 692600009999 does not exist")
                .hasMessageContaining("fun_ai_deploy_runtime_placement app_id='app/301': app_id is not")
                .hasMessageContaining("fun_ai_deploy_app_run app_id='104': last_job_status 'DEPLOYING' is not one of")
                .hasMessageContaining("SELECT p.* FROM fun_ai_deploy_runtime_placement p LEFT JOIN")
                .hasMessageContaining("Nothing was changed");

        assertThat(schema.fingerprint()).isEqualTo(before);
        assertThat(schema.tables()).doesNotContain("fun_ai_deploy_schema_history");
    }

    @Test
    void theInspectionQueriesInTheRefusalFindTheRowsItNames() {
        schema.execute(List.of(
                "INSERT INTO fun_ai_deploy_runtime_node VALUES (692600000001, NULL, 0, NULL, NULL, NULL, 1, NULL, NULL,"
                        + " 'rt-nöde-04', NULL, 100)",
                "INSERT INTO fun_ai_deploy_runtime_placement VALUES ('app 302', NULL, 1796130766901, " + NODE_01 + ", NULL)"));
        assertThatThrownBy(() -> RunningService.start(database.springProperties()))
                .rootCause()
                .hasMessageContaining("name 'rt-n\\u00f6de-04' is not");
        assertThat(schema.rows("SELECT * FROM fun_ai_deploy_runtime_node"
                + " WHERE CHAR_LENGTH(name) > 64 OR name NOT REGEXP '^[A-Za-z0-9][A-Za-z0-9._-]*$'"))
                .extracting(row -> row.get("id")).containsExactly(692600000001L);
        assertThat(schema.rows("SELECT * FROM fun_ai_deploy_runtime_placement"
                + " WHERE CHAR_LENGTH(app_id) > 128 OR app_id NOT REGEXP '^[A-Za-z0-9._:-]+$'"))
                .extracting(row -> row.get("app_id")).containsExactly("app 302");
    }

    @Test
    void underHashNewAppsGoWhereTheEarlierServicesRuleSendsThem() {
        // 10,000 first placements take longer than the default 60 s in which the nodes would turn stale.
        Map<String, Object> settings = new HashMap<>(database.springProperties());
        settings.put("deploy.runtime-node-registry.heartbeat-stale-seconds", 3600);
        try (RunningService service = RunningService.start(settings)) {
            DeployClient api = service.client();
            api.setEnabled("rt-node-03", true);
            for (String name : List.of("rt-node-01", "rt-node-02", "rt-node-03", "rt-node-04")) {
                api.heartbeat(name);
            }
            // The earlier service's rule: placeable nodes sorted by id, index floorMod(appId.hashCode(), count).
            List<Long> sortedIds = new ArrayList<>();
            api.nodes().forEach(node -> sortedIds.add(node.get("nodeId").asLong()));
            sortedIds.sort(Comparator.naturalOrder());
            assertThat(sortedIds).hasSize(4).startsWith(NODE_01, NODE_02, NODE_03);

            List<String> appIds = IntStream.range(0, 10_000).mapToObj(i -> "app-" + (i * 7919L % 100_003)).toList();
            Map<String, Long> chosen = new HashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<CompletableFuture<Void>> calls = appIds.stream().map(appId -> CompletableFuture.runAsync(() -> {
                    long nodeId = api.ensure(appId).get("nodeId").asLong();
                    synchronized (chosen) {
                        chosen.put(appId, nodeId);
                    }
                }, pool)).toList();
                calls.forEach(CompletableFuture::join);
            } finally {
                pool.shutdown();
            }
            Map<String, Long> earlierRule = new HashMap<>();
            appIds.forEach(appId -> earlierRule.put(appId,
                    sortedIds.get(Math.floorMod(appId.hashCode(), sortedIds.size()))));
            assertThat(chosen).hasSize(10_000).isEqualTo(earlierRule);
        }
    }

    private static void assertNode(JsonNode node, long id, String name, String agent, String gateway, boolean enabled) {
        assertThat(node.get("nodeId").asLong()).isEqualTo(id);
        assertThat(node.get("name").asString()).isEqualTo(name);
        assertThat(node.get("agentBaseUrl").asString()).isEqualTo(agent);
        assertThat(node.get("gatewayBaseUrl").asString()).isEqualTo(gateway);
        assertThat(node.get("enabled").asBoolean()).isEqualTo(enabled);
        assertThat(node.get("weight").asInt()).isEqualTo(100);
        assertThat(node.get("diskFreePct").asDouble()).isEqualTo(55.5);
        assertThat(node.get("diskFreeBytes").asLong()).isEqualTo(123456789L);
        assertThat(node.get("containerCount").asInt()).isEqualTo(4);
        assertThat(node.get("lastHeartbeatAtMs").asLong()).isEqualTo(FIXTURE_HEARTBEAT.toEpochMilli());
        assertThat(Instant.parse(node.get("lastHeartbeatAt").asString())).isEqualTo(FIXTURE_HEARTBEAT);
    }

    /** table.column → type, collation when ascii, NOT NULL and extras, e.g. {@code varchar(64) ascii_bin NOT NULL}. */
    private Map<String, String> columnTypes() {
        Map<String, String> types = new HashMap<>();
        schema.rows("SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, COLLATION_NAME, IS_NULLABLE, EXTRA"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()").forEach(row -> {
            StringBuilder type = new StringBuilder(row.get("COLUMN_TYPE").toString());
            Object collation = row.get("COLLATION_NAME");
            if (collation != null && collation.toString().startsWith("ascii")) {
                type.append(' ').append(collation);
            }
            if ("NO".equals(row.get("IS_NULLABLE"))) {
                type.append(" NOT NULL");
            }
            if (!row.get("EXTRA").toString().isEmpty()) {
                type.append(' ').append(row.get("EXTRA"));
            }
            types.put(row.get("TABLE_NAME") + "." + row.get("COLUMN_NAME"), type.toString());
        });
        return types;
    }
}
