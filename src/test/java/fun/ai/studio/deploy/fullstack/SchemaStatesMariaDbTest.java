package fun.ai.studio.deploy.fullstack;

import fun.ai.studio.deploy.support.EarlierServiceSchema;
import fun.ai.studio.deploy.support.MariaDbTestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import tools.jackson.databind.JsonNode;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The other schemas the service may be pointed at, on MariaDB: one holding only other applications' tables (a new
 * install that leaves them alone), one holding this service's tables from a release that kept its history in
 * Flyway's default table, and the earlier service's tables taken over and then rolled back as docs/upgrade.md says.
 * Runs when {@code DEPLOY_TEST_MARIADB=true}.
 */
@EnabledIfEnvironmentVariable(named = MariaDbTestDatabase.ENABLED_VARIABLE, matches = "true")
class SchemaStatesMariaDbTest {

    private MariaDbTestDatabase database;

    @BeforeEach
    void createSchema() {
        database = MariaDbTestDatabase.create();
    }

    @AfterEach
    void dropSchema() {
        database.close();
    }

    @Test
    void aSchemaHoldingOnlyOtherApplicationsTablesIsANewInstallThatLeavesThemAlone() {
        EarlierServiceSchema schema = EarlierServiceSchema.loadInto(database);
        schema.execute(List.of("DROP TABLE fun_ai_deploy_runtime_node", "DROP TABLE fun_ai_deploy_runtime_placement",
                "DROP TABLE fun_ai_deploy_app_run"));
        Map<String, String> others = schema.fingerprint();

        try (RunningService service = RunningService.start(database.springProperties())) {
            assertThat(service.client().heartbeat("rt-new-01").get("nodeId").asLong()).isEqualTo(1);
        }

        Map<String, String> after = schema.fingerprint();
        others.forEach((table, fingerprint) -> assertThat(after.get(table)).as(table).isEqualTo(fingerprint));
        assertThat(schema.rows("SELECT version FROM fun_ai_deploy_schema_history ORDER BY installed_rank"))
                .extracting(row -> row.get("version")).containsExactly("0", "1", "2", "3", "4", "5", "6");
    }

    @Test
    void anEarlierReleaseUnderFlywaysDefaultHistoryTableIsTakenAsVersionTwoAndKeepsItsTimes() {
        // That release had migrations 1 and 2.
        Flyway.configure().dataSource(database.jdbcUrl(), database.username(), database.password())
                .locations("classpath:db/migration").target("2").load().migrate();
        EarlierServiceSchema schema = EarlierServiceSchema.reading(database);
        schema.execute("INSERT INTO fun_ai_deploy_runtime_node (name, agent_base_url, gateway_base_url, enabled, weight,"
                + " last_heartbeat_at, create_time, update_time) VALUES ('rt-kept', 'http://10.0.0.9:7005',"
                + " 'https://gw9.example.com', 1, 250, '2026-12-01 13:12:43.500', '2026-12-01 13:00:00.000',"
                + " '2026-12-01 13:12:43.500')");
        long defaultHistory = schema.checksum("flyway_schema_history");

        try (RunningService service = RunningService.start(database.springProperties())) {
            JsonNode node = service.client().node("rt-kept");
            assertThat(node.get("lastHeartbeatAt").asString()).isEqualTo("2026-12-01T13:12:43.500Z");
            assertThat(node.get("weight").asInt()).isEqualTo(250);
        }

        assertThat(schema.rows("SELECT version, type FROM fun_ai_deploy_schema_history ORDER BY installed_rank"))
                .containsExactly(Map.of("version", "2", "type", "BASELINE"), Map.of("version", "3", "type", "SQL"),
                        Map.of("version", "4", "type", "SQL"), Map.of("version", "5", "type", "SQL"),
                        Map.of("version", "6", "type", "SQL"));
        assertThat(schema.checksum("flyway_schema_history")).isEqualTo(defaultHistory);
    }

    @Test
    void theRunbooksRollbackRestoresTheEarlierTablesExactly() throws Exception {
        EarlierServiceSchema schema = EarlierServiceSchema.loadInto(database);
        Map<String, String> before = schema.fingerprint();
        Path dump = Files.createTempFile("fun-ai-deploy-before-takeover-", ".sql");
        try {
            // docs/upgrade.md, "Cut-over" step 2 and "Rolling back" steps 3 and 4, as written there.
            List<String> dumpCommand = client("mysqldump", "--single-transaction", "--no-tablespaces");
            dumpCommand.addAll(EarlierServiceSchema.EARLIER_TABLES);
            run(dumpCommand, null, dump.toFile());

            try (RunningService service = RunningService.start(database.springProperties())) {
                service.client().heartbeat("rt-node-04");
                service.client().report("101", Map.of("jobId", "job-8", "status", "RUNNING"));
            }
            assertThat(schema.fingerprint()).isNotEqualTo(before);

            run(client("mysql"), dump.toFile(), null);
            List<String> drop = client("mysql");
            drop.addAll(List.of("-e", "DROP TABLE IF EXISTS fun_ai_deploy_schema_history, fun_ai_deploy_admin_audit,"
                    + " fun_ai_deploy_LOCK, fun_ai_deploy_change, fun_ai_deploy_change_seq, fun_ai_deploy_redeploy,"
                    + " fun_ai_deploy_node_condition"));
            run(drop, null, null);

            assertThat(schema.fingerprint()).isEqualTo(before);
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    /** The MariaDB client {@code program} pointed at the test schema, as the runbook points it at the real one. */
    private List<String> client(String program, String... options) {
        InetSocketAddress server = database.serverAddress();
        List<String> command = new ArrayList<>(List.of(program));
        command.addAll(List.of(options));
        command.addAll(List.of("--protocol=TCP", "-h", server.getHostString(), "-P", Integer.toString(server.getPort()),
                "-u", database.username()));
        if (!database.password().isEmpty()) {
            command.add("-p" + database.password());
        }
        command.add(database.schema());
        return command;
    }

    private static void run(List<String> command, File input, File output) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (input != null) {
            builder.redirectInput(input);
        }
        if (output != null) {
            builder.redirectOutput(output);
        }
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command.get(0)).isTrue();
        assertThat(process.exitValue()).as("%s exit status", command.get(0)).isZero();
    }
}
