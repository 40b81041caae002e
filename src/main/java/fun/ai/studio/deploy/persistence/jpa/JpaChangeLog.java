package fun.ai.studio.deploy.persistence.jpa;

import fun.ai.studio.deploy.changes.Change;
import fun.ai.studio.deploy.changes.ChangeEntry;
import fun.ai.studio.deploy.changes.ChangeLog;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The change log in the database. Revisions come from one sequencer row that each writing transaction locks as
 * its last statement and holds until it commits, so revisions are handed out in commit order: a reader that sees
 * revision n has every revision below n that will ever exist, and a rolled-back change returns its numbers.
 */
class JpaChangeLog implements ChangeLog {

    // Trimming deletes in slices, so one trim never holds many locks or a long transaction.
    static final int TRIM_SLICE = 10_000;

    private static final String COLUMNS = "revision, at_ms, kind, node_id, app_id, from_node_id, to_node_id, reason";
    static final int INSERT_ROWS = 500;

    private final JdbcOperations jdbc;

    JpaChangeLog(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the changes in the current transaction; the caller calls it after its own statements. */
    void append(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("changes are recorded in the transaction that makes them");
        }
        long last = jdbc.queryForObject("SELECT revision FROM fun_ai_deploy_change_seq WHERE id = 1 FOR UPDATE",
                Long.class);
        jdbc.update("UPDATE fun_ai_deploy_change_seq SET revision = ? WHERE id = 1", last + changes.size());
        List<List<Object>> rows = new ArrayList<>(changes.size());
        for (int i = 0; i < changes.size(); i++) {
            Change change = changes.get(i);
            rows.add(Arrays.asList(last + 1 + i, change.atMs(), change.kind().wire(), change.nodeId(), change.appId(),
                    change.fromNodeId(), change.toNodeId(), change.reason()));
        }
        MultiRowInsert.insert("INSERT INTO fun_ai_deploy_change (" + COLUMNS + ") VALUES ", "", rows, INSERT_ROWS,
                jdbc::update);
    }

    @Override
    public List<ChangeEntry> after(long revision, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM fun_ai_deploy_change WHERE revision > ? ORDER BY revision LIMIT ?",
                JpaChangeLog::entry, revision, limit);
    }

    @Override
    public long latestRevision() {
        return jdbc.queryForObject("SELECT revision FROM fun_ai_deploy_change_seq WHERE id = 1", Long.class);
    }

    @Override
    public long oldestAvailable() {
        Long oldest = jdbc.queryForObject("SELECT MIN(revision) FROM fun_ai_deploy_change", Long.class);
        return oldest != null ? oldest : latestRevision() + 1;
    }

    @Override
    public long trim(long beforeMs, long keep) {
        long removed = 0;
        int slice;
        do {
            slice = jdbc.update("DELETE FROM fun_ai_deploy_change WHERE at_ms < ? LIMIT " + TRIM_SLICE, beforeMs);
            removed += slice;
        } while (slice == TRIM_SLICE);
        long keepFrom = latestRevision() - keep;
        do {
            slice = jdbc.update("DELETE FROM fun_ai_deploy_change WHERE revision <= ? LIMIT " + TRIM_SLICE, keepFrom);
            removed += slice;
        } while (slice == TRIM_SLICE);
        return removed;
    }

    private static ChangeEntry entry(ResultSet row, int number) throws SQLException {
        return new ChangeEntry(row.getLong("revision"), row.getLong("at_ms"), row.getString("kind"),
                nullableLong(row, "node_id"), row.getString("app_id"), nullableLong(row, "from_node_id"),
                nullableLong(row, "to_node_id"), row.getString("reason"));
    }

    private static Long nullableLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

}
