package fun.ai.studio.deploy.persistence.jpa;

import fun.ai.studio.deploy.changes.Change;
import fun.ai.studio.deploy.changes.ChangeKind;
import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.node.NewNodePolicy;
import fun.ai.studio.deploy.node.NodeLimitReached;
import fun.ai.studio.deploy.node.NodeUpsert;
import fun.ai.studio.deploy.node.RecordedHeartbeat;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.node.RuntimeNodeRepository;
import fun.ai.studio.deploy.persistence.NodeChanges;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Nodes in the database. A write to a known node is an atomic {@code UPDATE} by the unique name, never a
 * read-modify-write, so a heartbeat never overwrites {@code enabled}/{@code weight}; a heartbeat that changes the
 * node's URLs first locks the row and reads the URLs it replaces. A name not stored yet is created by one insert that
 * a concurrent create of the same name on any instance turns into nothing (heartbeat) or an update (upsert), so one
 * node remains and one heartbeat reports it created.
 * <p>
 * The node limit: creates are serialised within this instance, each counting the rows and inserting in one
 * transaction that commits before the next create starts, so one instance never passes {@code maxNodes}.
 * Instances sharing the database count without seeing each other's uncommitted creates, so N instances creating
 * their last nodes at the same moment can store at most {@code maxNodes + N - 1}; after that every count is at the
 * limit and no instance creates another.
 */
class JpaRuntimeNodeRepository implements RuntimeNodeRepository {

    private static final int IN_LIST = 1000;
    // Ids start at 1: stands in for an empty IN list, which SQL does not allow.
    private static final long NO_ID = 0;

    private final RuntimeNodeEntityRepository rows;
    private final WriteTransactions transactions;
    private final JpaChangeLog changes;
    private final ReentrantLock creating = new ReentrantLock();

    JpaRuntimeNodeRepository(RuntimeNodeEntityRepository rows, WriteTransactions transactions, JpaChangeLog changes) {
        this.rows = rows;
        this.transactions = transactions;
        this.changes = changes;
    }

    @Override
    public RecordedHeartbeat recordHeartbeat(Heartbeat hb, NewNodePolicy newNodes, Instant now) {
        String at = UtcTimes.column(now);
        // Known nodes are nearly every heartbeat: they neither wait for the creation lock nor spend an id, as an
        // INSERT ... ON DUPLICATE KEY UPDATE on InnoDB would on each beat.
        RecordedHeartbeat known = transactions.execute(() -> updateKnown(hb, at, now));
        if (known != null) {
            return known;
        }
        return create(() -> transactions.execute(() -> {
            RecordedHeartbeat createdMeanwhile = updateKnown(hb, at, now);
            if (createdMeanwhile != null) {
                return createdMeanwhile;
            }
            requireRoom(newNodes.maxNodes());
            if (rows.insertHeartbeatIfAbsent(hb.nodeName(), hb.agentBaseUrl(), hb.gatewayBaseUrl(), hb.diskFreePct(),
                    hb.diskFreeBytes(), hb.containerCount(), tinyint(newNodes.enabled()), RuntimeNode.DEFAULT_WEIGHT,
                    at) == 0) {
                // Another instance created it after updateKnown looked; the insert waited for its commit.
                return Optional.ofNullable(updateKnown(hb, at, now)).orElseThrow(() -> new IllegalStateException(
                        "node '" + hb.nodeName() + "' neither inserted nor found"));
            }
            RuntimeNode created = reread(hb.nodeName());
            changes.append(List.of(Change.ofNode(ChangeKind.NODE_REGISTERED, now.toEpochMilli(), created.id())));
            return RecordedHeartbeat.created(created);
        }));
    }

    /** The heartbeat written to the stored node, or null when there is no node of that name. */
    private RecordedHeartbeat updateKnown(Heartbeat hb, String at, Instant now) {
        if (rows.updateHeartbeatWithSameUrls(hb.nodeName(), hb.agentBaseUrl(), hb.gatewayBaseUrl(), hb.diskFreePct(),
                hb.diskFreeBytes(), hb.containerCount(), at) > 0) {
            return RecordedHeartbeat.updated(reread(hb.nodeName()), hb.agentBaseUrl(), hb.gatewayBaseUrl());
        }
        Optional<RuntimeNode> before = rows.lockByName(hb.nodeName()).map(RuntimeNodeEntity::toDomain);
        if (before.isEmpty()) {
            return null;
        }
        rows.updateHeartbeat(hb.nodeName(), hb.agentBaseUrl(), hb.gatewayBaseUrl(), hb.diskFreePct(),
                hb.diskFreeBytes(), hb.containerCount(), at);
        RecordedHeartbeat recorded = RecordedHeartbeat.updated(reread(hb.nodeName()), before.get().agentBaseUrl(),
                before.get().gatewayBaseUrl());
        if (recorded.urlsChanged()) {
            changes.append(List.of(Change.ofNode(ChangeKind.NODE_URLS_CHANGED, now.toEpochMilli(),
                    recorded.node().id())));
        }
        return recorded;
    }

    @Override
    public RuntimeNode upsert(NodeUpsert upsert, int maxNodes, Instant now) {
        String at = UtcTimes.column(now);
        Integer enabled = upsert.enabled() == null ? null : tinyint(upsert.enabled());
        RuntimeNode known = transactions.execute(() -> updateKnown(upsert, enabled, at, now));
        if (known != null) {
            return known;
        }
        return create(() -> transactions.execute(() -> {
            RuntimeNode createdMeanwhile = updateKnown(upsert, enabled, at, now);
            if (createdMeanwhile != null) {
                return createdMeanwhile;
            }
            requireRoom(maxNodes);
            rows.insertOrUpdate(upsert.name(), upsert.agentBaseUrl(), upsert.gatewayBaseUrl(), enabled,
                    upsert.weight(), enabled == null ? 1 : enabled,
                    upsert.weight() == null ? RuntimeNode.DEFAULT_WEIGHT : upsert.weight(), at);
            RuntimeNode created = reread(upsert.name());
            changes.append(List.of(Change.ofNode(ChangeKind.NODE_REGISTERED, now.toEpochMilli(), created.id())));
            return created;
        }));
    }

    /**
     * The operator's values written to the stored node, recorded as the changes they made to it; null when there is
     * no node of that name. The row is locked first, so what it read is what the write replaced.
     */
    private RuntimeNode updateKnown(NodeUpsert upsert, Integer enabled, String at, Instant now) {
        Optional<RuntimeNode> before = rows.lockByName(upsert.name()).map(RuntimeNodeEntity::toDomain);
        if (before.isEmpty()) {
            return null;
        }
        rows.updateByName(upsert.name(), upsert.agentBaseUrl(), upsert.gatewayBaseUrl(), enabled, upsert.weight(), at);
        RuntimeNode after = reread(upsert.name());
        changes.append(NodeChanges.ofUpsert(before.get(), after, now.toEpochMilli()));
        return after;
    }

    /** Runs one create at a time on this instance; the transaction inside commits before the next one counts. */
    private <T> T create(Supplier<T> transaction) {
        creating.lock();
        try {
            return transaction.get();
        } finally {
            creating.unlock();
        }
    }

    private void requireRoom(int maxNodes) {
        if (rows.count() >= maxNodes) {
            throw new NodeLimitReached(maxNodes);
        }
    }

    @Override
    public boolean setEnabled(String name, boolean enabled, Instant now) {
        return transactions.execute(() -> {
            Optional<RuntimeNode> before = rows.lockByName(name).map(RuntimeNodeEntity::toDomain);
            if (before.isEmpty()) {
                return false;
            }
            rows.setEnabled(name, tinyint(enabled), UtcTimes.column(now));
            changes.append(NodeChanges.ofEnabled(before.get().id(), before.get().enabled(), enabled,
                    now.toEpochMilli()));
            return true;
        });
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

    @Override
    public List<RuntimeNode> findPageAfter(long afterId, int limit) {
        return rows.findPageAfter(afterId, limit).stream().map(RuntimeNodeEntity::toDomain).toList();
    }

    @Override
    public List<RuntimeNode> findByIds(Collection<Long> ids) {
        List<Long> all = List.copyOf(ids);
        List<RuntimeNode> nodes = new ArrayList<>(all.size());
        // Bounded IN lists keep each statement small whatever the caller asks for.
        for (int from = 0; from < all.size(); from += IN_LIST) {
            rows.findByIdIn(all.subList(from, Math.min(from + IN_LIST, all.size())))
                    .forEach(row -> nodes.add(row.toDomain()));
        }
        return nodes;
    }

    @Override
    public List<RuntimeNode> findUpdatedSince(Instant since, Collection<Long> watched) {
        String at = UtcTimes.column(since);
        List<RuntimeNodeEntity> found = watched == null ? rows.findAllUpdatedSince(at)
                : rows.findUpdatedSince(at, watched.isEmpty() ? List.of(NO_ID) : watched);
        return found.stream().map(RuntimeNodeEntity::toDomain).toList();
    }

    private RuntimeNode reread(String name) {
        return rows.findByName(name).map(RuntimeNodeEntity::toDomain)
                .orElseThrow(() -> new IllegalStateException("node '" + name + "' missing right after its upsert"));
    }

    private static int tinyint(boolean value) {
        return value ? 1 : 0;
    }
}
