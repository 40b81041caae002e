package fun.ai.studio.deploy.persistence.memory;

import fun.ai.studio.deploy.changes.Change;
import fun.ai.studio.deploy.changes.ChangeEntry;
import fun.ai.studio.deploy.changes.ChangeLog;

import java.util.ArrayList;
import java.util.List;

/**
 * The change log in memory: a ring of the newest entries. The stores append after each change is visible, so a
 * reader that sees an entry also sees its change; revisions are handed out under the ring's lock, in the order
 * the changes were appended.
 */
public class InMemoryChangeLog implements ChangeLog {

    private final ChangeEntry[] ring;
    private long latest;
    private long oldest = 1;

    public InMemoryChangeLog(int capacity) {
        this.ring = new ChangeEntry[capacity];
    }

    public synchronized void append(Change change) {
        latest++;
        ring[slot(latest)] = ChangeEntry.of(latest, change);
        oldest = Math.max(oldest, latest - ring.length + 1);
    }

    public synchronized void appendAll(List<Change> changes) {
        changes.forEach(this::append);
    }

    @Override
    public synchronized List<ChangeEntry> after(long revision, int limit) {
        long from = Math.max(revision + 1, oldest);
        long to = Math.min(latest, from + limit - 1);
        List<ChangeEntry> entries = new ArrayList<>((int) Math.max(0, to - from + 1));
        for (long r = from; r <= to; r++) {
            entries.add(ring[slot(r)]);
        }
        return entries;
    }

    @Override
    public synchronized long latestRevision() {
        return latest;
    }

    @Override
    public synchronized long oldestAvailable() {
        return oldest;
    }

    @Override
    public synchronized long trim(long beforeMs, long keep) {
        long from = oldest;
        while (oldest <= latest && (ring[slot(oldest)].at() < beforeMs || latest - oldest + 1 > keep)) {
            ring[slot(oldest)] = null;
            oldest++;
        }
        return oldest - from;
    }

    private int slot(long revision) {
        return (int) (revision % ring.length);
    }
}
