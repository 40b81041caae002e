package fun.ai.studio.deploy.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A MariaDB schema set up as the platform has it before the takeover: the earlier deploy service's tables and rows
 * (the fixture {@value #FIXTURE}, as that service's Hibernate created them), beside another application's table
 * and rows in the earlier service's job table, which the takeover must leave alone.
 */
public final class EarlierServiceSchema {

    public static final String FIXTURE = "/earlier-service/schema-mariadb.sql";
    public static final String OTHER_APPLICATIONS_TABLE = "fun_ai_workspace_member";
    public static final String JOB_TABLE = "fun_ai_deploy_job";
    public static final List<String> EARLIER_TABLES =
            List.of("fun_ai_deploy_runtime_node", "fun_ai_deploy_runtime_placement", "fun_ai_deploy_app_run");

    private final MariaDbTestDatabase database;

    private EarlierServiceSchema(MariaDbTestDatabase database) {
        this.database = database;
    }

    /** Loads the fixture, another application's table and a queued job into {@code database}'s empty schema. */
    public static EarlierServiceSchema loadInto(MariaDbTestDatabase database) {
        EarlierServiceSchema schema = new EarlierServiceSchema(database);
        schema.execute(fixtureStatements());
        schema.execute(List.of(
                "CREATE TABLE " + OTHER_APPLICATIONS_TABLE + " (id bigint NOT NULL PRIMARY KEY, workspace_id bigint NOT NULL,"
                        + " name varchar(64) NOT NULL, create_time datetime(6) NULL) ENGINE=InnoDB"
                        + " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
                "INSERT INTO " + OTHER_APPLICATIONS_TABLE + " VALUES (1, 10, 'Ada', '2026-12-01 21:00:00.000000'),"
                        + " (2, 10, 'Grace', '2026-12-01 21:05:00.123456')",
                "INSERT INTO " + JOB_TABLE + " VALUES ('job-7f3c', '103', '2026-12-01 21:22:00.000000', NULL, NULL,"
                        + " '{\"appId\":\"103\"}', NULL, 'PENDING', 'DEPLOY', '2026-12-01 21:22:00.000000', 0)"));
        return schema;
    }

    /** Reads and writes {@code database}'s schema as it is, loading nothing. */
    public static EarlierServiceSchema reading(MariaDbTestDatabase database) {
        return new EarlierServiceSchema(database);
    }

    /** The fixture's statements, comments left out. */
    public static List<String> fixtureStatements() {
        String text;
        try (InputStream in = EarlierServiceSchema.class.getResourceAsStream(FIXTURE)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.startsWith("--") || line.isBlank()) {
                continue;
            }
            current.append(line).append('\n');
            if (line.stripTrailing().endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1).strip());
                current.setLength(0);
            }
        }
        return statements;
    }

    public void execute(List<String> statements) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public void execute(String sql) {
        execute(List.of(sql));
    }

    /** Each row of {@code sql}'s answer as column label → value (as the driver gives it). */
    public List<Map<String, Object>> rows(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns; i++) {
                    row.put(result.getMetaData().getColumnLabel(i), result.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every table of the schema with its {@code CHECKSUM TABLE} and {@code SHOW CREATE TABLE}: what "unchanged" means. */
    public Map<String, String> fingerprint() {
        Map<String, String> fingerprint = new LinkedHashMap<>();
        for (Map<String, Object> table : rows("SHOW TABLES")) {
            String name = table.values().iterator().next().toString();
            fingerprint.put(name, checksum(name) + "\n" + rows("SHOW CREATE TABLE " + name).get(0).get("Create Table"));
        }
        return fingerprint;
    }

    public long checksum(String table) {
        return ((Number) rows("CHECKSUM TABLE " + table).get(0).get("Checksum")).longValue();
    }

    public List<String> tables() {
        return rows("SHOW TABLES").stream().map(row -> row.values().iterator().next().toString()).toList();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    }
}
