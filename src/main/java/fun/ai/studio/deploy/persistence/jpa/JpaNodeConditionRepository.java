package fun.ai.studio.deploy.persistence.jpa;

import fun.ai.studio.deploy.persistence.NodeChanges;
import fun.ai.studio.deploy.placement.NodeCondition;
import fun.ai.studio.deploy.placement.NodeConditionRepository;
import org.springframework.jdbc.core.JdbcOperations;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recorded node conditions in {@code fun_ai_deploy_node_condition}. A flip is an {@code UPDATE} conditional on the
 * condition it replaces, and its entries are appended only when that update took effect, in its transaction: of
 * two recorders on different instances, the second waits for the first's row lock, then finds the condition changed
 * and writes nothing.
 */
class JpaNodeConditionRepository implements NodeConditionRepository {

    static final int INSERT_ROWS = 1_000;

    private final JdbcOperations jdbc;
    private final WriteTransactions transactions;
    private final JpaChangeLog changes;

    JpaNodeConditionRepository(JdbcOperations jdbc, WriteTransactions transactions, JpaChangeLog changes) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.changes = changes;
    }

    @Override
    public Map<Long, NodeCondition> findAll() {
        Map<Long, NodeCondition> conditions = new HashMap<>();
        jdbc.query("SELECT node_id, healthy, fits FROM fun_ai_deploy_node_condition", row -> {
            conditions.put(row.getLong("node_id"), new NodeCondition(row.getInt("healthy") == 1, row.getInt("fits") == 1));
        });
        return conditions;
    }

    /** In multi-row inserts of up to {@value #INSERT_ROWS}: a whole fleet seen for the first time is a few hundred. */
    @Override
    public int recordFirst(Map<Long, NodeCondition> conditions, long atMs) {
        List<List<Object>> rows = new ArrayList<>(conditions.size());
        conditions.forEach((nodeId, condition) -> rows.add(List.of(nodeId, tinyint(condition.healthy()),
                tinyint(condition.fits()), atMs)));
        // Each statement in a transaction of its own.
        return MultiRowInsert.insert("INSERT IGNORE INTO fun_ai_deploy_node_condition (node_id, healthy, fits, at_ms)"
                + " VALUES ", "", rows, INSERT_ROWS, (sql, args) -> transactions.execute(() -> jdbc.update(sql, args)));
    }

    @Override
    public boolean recordFlip(long nodeId, NodeCondition from, NodeCondition to, String misfit, long atMs) {
        return transactions.execute(() -> {
            int updated = jdbc.update("UPDATE fun_ai_deploy_node_condition SET healthy = ?, fits = ?, at_ms = ?"
                            + " WHERE node_id = ? AND healthy = ? AND fits = ?", tinyint(to.healthy()), tinyint(to.fits()),
                    atMs, nodeId, tinyint(from.healthy()), tinyint(from.fits()));
            if (updated == 0) {
                return false;
            }
            changes.append(NodeChanges.ofConditions(nodeId, from, to, misfit, atMs));
            return true;
        });
    }

    private static int tinyint(boolean value) {
        return value ? 1 : 0;
    }
}
