package fun.ai.studio.deploy.persistence.jpa;

import org.springframework.jdbc.core.JdbcOperations;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes many nodes' heartbeat reports, time and figures together, in one statement per {@value #BATCH} nodes. A
 * report is written only over an older {@code last_heartbeat_at}, so a row always ends with the newest report
 * whatever the order the writes land in and whichever instance took it.
 * <p>
 * Bound through JDBC rather than as a Hibernate native query: Hibernate keeps a parsed copy of every distinct
 * statement text, and these differ by batch size and reach about 100 KB.
 */
class HeartbeatWriter {

    static final int BATCH = 500;

    /** One column the statement sets from each report. */
    private record Column(String name, int sqlType, Function<HeartbeatReport, Object> value) {
    }

    private static final Column HEARTBEAT_AT =
            new Column("last_heartbeat_at", Types.VARCHAR, report -> UtcTimes.column(report.at()));
    private static final List<Column> COLUMNS = List.of(
            new Column("disk_free_pct", Types.DOUBLE, HeartbeatReport::diskFreePct),
            new Column("disk_free_bytes", Types.BIGINT, HeartbeatReport::diskFreeBytes),
            new Column("container_count", Types.INTEGER, HeartbeatReport::containerCount),
            HEARTBEAT_AT);

    private final JdbcOperations jdbc;
    private final WriteTransactions transactions;

    HeartbeatWriter(JdbcOperations jdbc, WriteTransactions transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    void write(Map<String, HeartbeatReport> reportByName) {
        List<Map.Entry<String, HeartbeatReport>> entries = new ArrayList<>(reportByName.entrySet());
        for (int from = 0; from < entries.size(); from += BATCH) {
            List<Map.Entry<String, HeartbeatReport>> batch = entries.subList(from, Math.min(from + BATCH, entries.size()));
            transactions.execute(() -> jdbc.update(sql(batch.size()), statement -> bind(statement, batch)));
        }
    }

    /**
     * Each column is a CASE on the name; the newer-only test is in the WHERE clause, so no SET reads a column another
     * SET changes (MySQL evaluates them left to right, H2 all against the old row).
     */
    private static String sql(int rows) {
        StringBuilder sql = new StringBuilder("UPDATE fun_ai_deploy_runtime_node SET ");
        for (Column column : COLUMNS) {
            sql.append(column.name()).append(" = ").append(caseByName(rows, column)).append(", ");
        }
        return sql.append("update_time = ? WHERE name IN (").append(String.join(", ", Collections.nCopies(rows, "?")))
                .append(") AND (last_heartbeat_at IS NULL OR last_heartbeat_at < ")
                .append(caseByName(rows, HEARTBEAT_AT)).append(')').toString();
    }

    // The ELSE is never taken (every row is in the IN list) but gives H2 the type of the parameters.
    private static String caseByName(int rows, Column column) {
        return "CASE name" + " WHEN ? THEN ?".repeat(rows) + " ELSE " + column.name() + " END";
    }

    private static void bind(PreparedStatement statement, List<Map.Entry<String, HeartbeatReport>> batch)
            throws SQLException {
        int index = 1;
        for (Column column : COLUMNS) {
            index = bindCase(statement, index, batch, column);
        }
        Instant latest = batch.stream().map(entry -> entry.getValue().at()).max(Instant::compareTo).orElseThrow();
        statement.setString(index++, UtcTimes.column(latest));
        for (Map.Entry<String, HeartbeatReport> entry : batch) {
            statement.setString(index++, entry.getKey());
        }
        bindCase(statement, index, batch, HEARTBEAT_AT);
    }

    private static int bindCase(PreparedStatement statement, int from, List<Map.Entry<String, HeartbeatReport>> batch,
                                Column column) throws SQLException {
        int index = from;
        for (Map.Entry<String, HeartbeatReport> entry : batch) {
            statement.setString(index++, entry.getKey());
            Object value = column.value().apply(entry.getValue());
            if (value == null) {
                statement.setNull(index++, column.sqlType());
            } else {
                statement.setObject(index++, value, column.sqlType());
            }
        }
        return index;
    }
}
