package fun.ai.studio.deploy.persistence.jpa;

import fun.ai.studio.deploy.changes.Change;
import fun.ai.studio.deploy.changes.ChangeKind;
import fun.ai.studio.deploy.placement.PendingRedeploy;
import org.springframework.jdbc.core.JdbcOperations;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The redeploy backlog, table {@code fun_ai_deploy_redeploy}: one row per app whose placement moved since its last
 * SUCCEEDED report on the node it moved to. The placement store writes it in the transaction of each move.
 */
class RedeployBacklogTable {

    private static final String COLUMNS = "app_id, from_node_id, to_node_id, moved_at_ms, reason";
    // Rows per multi-row INSERT, as for the change log.
    private static final int INSERT_ROWS = JpaChangeLog.INSERT_ROWS;

    private final JdbcOperations jdbc;

    RedeployBacklogTable(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Adds the moved apps in the current transaction; an app already there keeps where it came from and takes the
     * latest move's target, time and reason.
     */
    void addMoves(List<Change> moves) {
        List<List<Object>> rows = new ArrayList<>(moves.size());
        for (Change move : moves) {
            if (move.kind() != ChangeKind.PLACEMENT_MOVED) {
                throw new IllegalArgumentException("not a move: " + move.kind());
            }
            rows.add(Arrays.asList(move.appId(), move.fromNodeId(), move.toNodeId(), move.atMs(), move.reason()));
        }
        MultiRowInsert.insert("INSERT INTO fun_ai_deploy_redeploy (" + COLUMNS + ") VALUES ",
                " ON DUPLICATE KEY UPDATE to_node_id = VALUES(to_node_id), moved_at_ms = VALUES(moved_at_ms),"
                        + " reason = VALUES(reason)", rows, INSERT_ROWS, jdbc::update);
    }

    Optional<PendingRedeploy> find(String appId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM fun_ai_deploy_redeploy WHERE app_id = ?",
                RedeployBacklogTable::row, appId).stream().findFirst();
    }

    List<PendingRedeploy> after(String afterAppId, int limit) {
        return afterAppId == null
                ? jdbc.query("SELECT " + COLUMNS + " FROM fun_ai_deploy_redeploy ORDER BY app_id LIMIT ?",
                        RedeployBacklogTable::row, limit)
                : jdbc.query("SELECT " + COLUMNS + " FROM fun_ai_deploy_redeploy WHERE app_id > ? ORDER BY app_id"
                        + " LIMIT ?", RedeployBacklogTable::row, afterAppId, limit);
    }

    long count() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM fun_ai_deploy_redeploy", Long.class);
    }

    void remove(String appId, long toNodeId) {
        jdbc.update("DELETE FROM fun_ai_deploy_redeploy WHERE app_id = ? AND to_node_id = ?", appId, toNodeId);
    }

    private static PendingRedeploy row(ResultSet row, int number) throws SQLException {
        return new PendingRedeploy(row.getString("app_id"), row.getLong("from_node_id"), row.getLong("to_node_id"),
                row.getLong("moved_at_ms"), row.getString("reason"));
    }
}
