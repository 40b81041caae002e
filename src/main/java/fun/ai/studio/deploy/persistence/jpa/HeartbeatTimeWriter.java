package fun.ai.studio.deploy.persistence.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes many nodes' heartbeat times in one statement per {@value #BATCH} nodes. A time only ever moves a node's
 * {@code last_heartbeat_at} forward, so a late flush never undoes a newer heartbeat written by another instance.
 */
class HeartbeatTimeWriter {

    static final int BATCH = 500;

    private final EntityManager entityManager;
    private final WriteTransactions transactions;

    HeartbeatTimeWriter(EntityManager entityManager, WriteTransactions transactions) {
        this.entityManager = entityManager;
        this.transactions = transactions;
    }

    void write(Map<String, Instant> timeByName) {
        List<Map.Entry<String, Instant>> entries = new ArrayList<>(timeByName.entrySet());
        for (int from = 0; from < entries.size(); from += BATCH) {
            List<Map.Entry<String, Instant>> batch = entries.subList(from, Math.min(from + BATCH, entries.size()));
            transactions.execute(() -> statement(batch).executeUpdate());
        }
    }

    private Query statement(List<Map.Entry<String, Instant>> batch) {
        StringBuilder sql = new StringBuilder("UPDATE fun_ai_deploy_runtime_node SET last_heartbeat_at = CASE");
        for (int i = 0; i < batch.size(); i++) {
            sql.append(" WHEN name = ?").append(3 * i + 1)
                    .append(" AND (last_heartbeat_at IS NULL OR last_heartbeat_at < ?").append(3 * i + 2)
                    .append(") THEN ?").append(3 * i + 3);
        }
        int updateTime = 3 * batch.size() + 1;
        sql.append(" ELSE last_heartbeat_at END, update_time = ?").append(updateTime).append(" WHERE name IN (");
        for (int i = 0; i < batch.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?").append(3 * i + 1);
        }
        sql.append(')');
        Query query = entityManager.createNativeQuery(sql.toString());
        Instant latest = Instant.EPOCH;
        for (int i = 0; i < batch.size(); i++) {
            String at = UtcTimes.column(batch.get(i).getValue());
            query.setParameter(3 * i + 1, batch.get(i).getKey());
            query.setParameter(3 * i + 2, at);
            query.setParameter(3 * i + 3, at);
            latest = batch.get(i).getValue().isAfter(latest) ? batch.get(i).getValue() : latest;
        }
        query.setParameter(updateTime, UtcTimes.column(latest));
        return query;
    }
}
