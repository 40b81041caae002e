package fun.ai.studio.deploy.node;

import fun.ai.studio.deploy.shared.NoCapacityException;


import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.RandomAccess;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ids of the placeable nodes in id order, kept up to date instead of reading and filtering every node on each
 * first placement, which costs in proportion to the fleet. A node is a member when its latest read showed it
 * {@link NodeHealthPolicy#isPlaceable placeable}; a member is read again (in batches) before it is used past the
 * moment that read says it turns STALE, and every node this instance changes is read again after the change.
 * So on one instance the members are exactly the placeable nodes. Changes made by other instances sharing the
 * database are read at most every {@link #REFRESH_MS}, from the rows updated since the previous read.
 * <p>
 * Each read takes a number before it starts, and a node's state is replaced only by a read with a higher number,
 * so a slow read never undoes what a later one saw.
 */
final class PlaceableNodes {

    static final long REFRESH_MS = 1_000;
    // Other instances stamp update_time with their own clocks, and a coalesced heartbeat with the time it arrived,
    // up to a flush interval before it is written: reading a few seconds back covers both.
    static final long REFRESH_OVERLAP_MS = 3_000;
    // Members due to turn STALE within this are read together, so the re-reads come in batches, not one by one.
    static final long RECHECK_AHEAD_MS = 1_000;
    // Above this many non-placeable nodes, a refresh reads every updated row instead of listing their ids.
    static final int MAX_WATCHED = 1_000;
    static final int LOAD_PAGE = 2_000;

    /** A node's latest applied read and the STALE moment it is queued to be read again at (-1: not queued). */
    private static final class State {
        long read;
        long queuedAtMs = -1;
    }

    private record Due(long atMs, long id) {
    }

    private final RuntimeNodeRepository nodes;
    private final NodeHealthPolicy health;
    private final long staleAfterMs;
    private final AtomicLong reads = new AtomicLong();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final Object lock = new Object();
    // Written under the lock; members is also read without it, by the heartbeat's quick test.
    private final Map<Long, State> known = new ConcurrentHashMap<>();
    private final Set<Long> members = new ConcurrentSkipListSet<>();
    private final Set<Long> outside = new HashSet<>();
    private final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> Long.compare(a.atMs(), b.atMs()));
    private long[] ordered;
    private volatile boolean loaded;
    private volatile long refreshedAtMs;

    PlaceableNodes(RuntimeNodeRepository nodes, NodeHealthPolicy health) {
        this.nodes = nodes;
        this.health = health;
        this.staleAfterMs = health.staleAfter().toMillis();
    }

    /**
     * The placeable nodes at {@code now}, ordered by id. {@code size()} costs nothing and {@code get(i)} reads one
     * node; iterating reads every member, so strategies that score every node read them all instead.
     */
    List<RuntimeNode> at(Instant now) {
        loadOnce(now);
        refreshIfDue(now);
        recheckDue(now);
        long[] ids;
        synchronized (lock) {
            if (ordered == null) {
                ordered = members.stream().mapToLong(Long::longValue).toArray();
            }
            ids = ordered;
        }
        return new Ordered(ids);
    }

    /**
     * Called after this instance changed the node (its state as the write answered): reads it again unless the
     * change cannot have moved it in or out, the case of nearly every heartbeat (a member's heartbeat only keeps
     * it placeable).
     */
    void changed(RuntimeNode node, Instant now) {
        loadOnce(now);
        if (members.contains(node.id()) == health.isPlaceable(node, now) && known.containsKey(node.id())) {
            return;
        }
        reread(node.id(), now);
    }

    /** Called after this instance changed the named node without getting its state back; returns that state. */
    Optional<RuntimeNode> changed(String name, Instant now) {
        loadOnce(now);
        long read = reads.incrementAndGet();
        Optional<RuntimeNode> node = nodes.findByName(name);
        node.ifPresent(changed -> {
            synchronized (lock) {
                apply(changed, read, now);
            }
        });
        return node;
    }

    private void reread(long id, Instant now) {
        long read = reads.incrementAndGet();
        nodes.findById(id).ifPresent(node -> {
            synchronized (lock) {
                apply(node, read, now);
            }
        });
    }

    private void loadOnce(Instant now) {
        if (loaded) {
            return;
        }
        synchronized (lock) {
            if (loaded) {
                return;
            }
            long read = reads.incrementAndGet();
            // In pages: a database store would otherwise hold every row of a large fleet in memory at once.
            List<RuntimeNode> page = nodes.findPageAfter(0, LOAD_PAGE);
            while (!page.isEmpty()) {
                page.forEach(node -> apply(node, read, now));
                page = page.size() < LOAD_PAGE ? List.of() : nodes.findPageAfter(page.get(page.size() - 1).id(), LOAD_PAGE);
            }
            refreshedAtMs = now.toEpochMilli();
            loaded = true;
        }
    }

    /** Reads what other instances changed; one caller at a time, the others go on with what is known. */
    private void refreshIfDue(Instant now) {
        long nowMs = now.toEpochMilli();
        if (nowMs - refreshedAtMs < REFRESH_MS || !refreshing.compareAndSet(false, true)) {
            return;
        }
        try {
            List<Long> watched;
            long read;
            synchronized (lock) {
                watched = outside.size() > MAX_WATCHED ? null : List.copyOf(outside);
                read = reads.incrementAndGet();
            }
            List<RuntimeNode> updated = nodes.findUpdatedSince(
                    Instant.ofEpochMilli(refreshedAtMs - REFRESH_OVERLAP_MS), watched);
            synchronized (lock) {
                updated.forEach(node -> apply(node, read, now));
            }
            refreshedAtMs = nowMs;
        } finally {
            refreshing.set(false);
        }
    }

    /** Reads again the members whose last read says they turn STALE by now (and those soon after, with them). */
    private void recheckDue(Instant now) {
        long nowMs = now.toEpochMilli();
        List<Due> taken = new ArrayList<>();
        long read;
        synchronized (lock) {
            Due head = due.peek();
            if (head == null || head.atMs() > nowMs) {
                return;
            }
            while ((head = due.peek()) != null && head.atMs() <= nowMs + RECHECK_AHEAD_MS) {
                due.poll();
                State state = known.get(head.id());
                // An entry superseded by an earlier one, or left by a node that is gone, is dropped.
                if (state != null && state.queuedAtMs == head.atMs()) {
                    state.queuedAtMs = -1;
                    taken.add(head);
                }
            }
            read = reads.incrementAndGet();
        }
        List<RuntimeNode> found;
        try {
            found = nodes.findByIds(taken.stream().map(Due::id).toList());
        } catch (RuntimeException e) {
            synchronized (lock) {
                taken.forEach(this::queue);
            }
            throw e;
        }
        synchronized (lock) {
            Set<Long> missing = new HashSet<>(taken.stream().map(Due::id).toList());
            for (RuntimeNode node : found) {
                missing.remove(node.id());
                apply(node, read, now);
            }
            missing.forEach(id -> forget(id, read));
        }
    }

    /** Under the lock: the node as a read numbered {@code read} found it, unless a later read was applied. */
    private void apply(RuntimeNode node, long read, Instant now) {
        State state = known.computeIfAbsent(node.id(), id -> new State());
        if (state.read > read) {
            return;
        }
        state.read = read;
        if (health.isPlaceable(node, now)) {
            outside.remove(node.id());
            if (members.add(node.id())) {
                ordered = null;
            }
            long staleAtMs = node.lastHeartbeatAt().toEpochMilli() + staleAfterMs;
            if (state.queuedAtMs == -1 || staleAtMs < state.queuedAtMs) {
                queue(new Due(staleAtMs, node.id()));
            }
        } else {
            outside.add(node.id());
            if (members.remove(node.id())) {
                ordered = null;
            }
        }
    }

    /** Under the lock: a node deleted behind the service's back. */
    private void forget(long id, long read) {
        State state = known.get(id);
        if (state != null && state.read <= read) {
            known.remove(id);
            outside.remove(id);
            if (members.remove(id)) {
                ordered = null;
            }
        }
    }

    private void queue(Due entry) {
        State state = known.get(entry.id());
        if (state != null) {
            state.queuedAtMs = entry.atMs();
            due.add(entry);
        }
    }

    /** The members of one moment; each position is read when asked for. */
    private final class Ordered extends AbstractList<RuntimeNode> implements RandomAccess {

        private final long[] ids;

        Ordered(long[] ids) {
            this.ids = ids;
        }

        @Override
        public RuntimeNode get(int index) {
            long id = ids[index];
            return nodes.findById(id).orElseThrow(() -> new NoCapacityException(
                    "runtime node " + id + " was removed while an app was being placed on it; retry"));
        }

        @Override
        public int size() {
            return ids.length;
        }
    }
}
