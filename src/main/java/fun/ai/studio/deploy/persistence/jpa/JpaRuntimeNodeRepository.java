package fun.ai.studio.deploy.persistence.jpa;

import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.node.NodeUpsert;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.node.RuntimeNodeRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Nodes in the database. A heartbeat or upsert is an atomic {@code UPDATE} by the unique name or, for a name not
 * stored yet, one {@code INSERT ... ON DUPLICATE KEY UPDATE}, then a read of the row it left; never a
 * read-modify-write. So concurrent writers for one name, on any number of instances, leave one node, and a
 * heartbeat never overwrites {@code enabled}/{@code weight}.
 */
public class JpaRuntimeNodeRepository implements RuntimeNodeRepository {

    private final RuntimeNodeEntityRepository rows;
    private final WriteTransactions transactions;

    JpaRuntimeNodeRepository(RuntimeNodeEntityRepository rows, WriteTransactions transactions) {
        this.rows = rows;
        this.transactions = transactions;
    }

    @Override
    public RuntimeNode recordHeartbeat(Heartbeat hb, Instant now) {
        String at = UtcTimes.column(now);
        return transactions.execute(() -> {
            // UPDATE first: known nodes are nearly every heartbeat, and InnoDB would spend an AUTO_INCREMENT id on
            // each INSERT ... ON DUPLICATE KEY UPDATE, so node ids would grow with every beat.
            if (rows.updateHeartbeat(hb.nodeName(), hb.agentBaseUrl(), hb.gatewayBaseUrl(), hb.diskFreePct(),
                    hb.diskFreeBytes(), hb.containerCount(), at) == 0) {
                rows.insertOrUpdateHeartbeat(hb.nodeName(), hb.agentBaseUrl(), hb.gatewayBaseUrl(), hb.diskFreePct(),
                        hb.diskFreeBytes(), hb.containerCount(), RuntimeNode.DEFAULT_WEIGHT, at);
            }
            return reread(hb.nodeName());
        });
    }

    @Override
    public RuntimeNode upsert(NodeUpsert upsert, Instant now) {
        String at = UtcTimes.column(now);
        Integer enabled = upsert.enabled() == null ? null : tinyint(upsert.enabled());
        return transactions.execute(() -> {
            if (rows.updateByName(upsert.name(), upsert.agentBaseUrl(), upsert.gatewayBaseUrl(), enabled,
                    upsert.weight(), at) == 0) {
                rows.insertOrUpdate(upsert.name(), upsert.agentBaseUrl(), upsert.gatewayBaseUrl(), enabled,
                        upsert.weight(), enabled == null ? 1 : enabled,
                        upsert.weight() == null ? RuntimeNode.DEFAULT_WEIGHT : upsert.weight(), at);
            }
            return reread(upsert.name());
        });
    }

    @Override
    public boolean setEnabled(String name, boolean enabled, Instant now) {
        return transactions.execute(() -> rows.setEnabled(name, tinyint(enabled), UtcTimes.column(now)) > 0);
    }

    @Override
    public Optional<RuntimeNode> findById(long id) {
        return rows.findById(id).map(RuntimeNodeEntity::toDomain);
    }

    @Override
    public Optional<RuntimeNode> findByName(String name) {
        return rows.findByName(name).map(RuntimeNodeEntity::toDomain);
    }

    @Override
    public List<RuntimeNode> findAll() {
        return rows.findAllByOrderByIdAsc().stream().map(RuntimeNodeEntity::toDomain).toList();
    }

    private RuntimeNode reread(String name) {
        return rows.findByName(name).map(RuntimeNodeEntity::toDomain)
                .orElseThrow(() -> new IllegalStateException("node '" + name + "' missing right after its upsert"));
    }

    private static int tinyint(boolean value) {
        return value ? 1 : 0;
    }
}
