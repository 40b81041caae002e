package fun.ai.studio.deploy.audit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/** The most recent {@code capacity} entries in memory; older ones are dropped as new ones arrive. */
public class InMemoryAuditRepository implements AuditRepository {

    private final int capacity;
    private final Deque<AuditEntry> entries;
    private long lastId;

    public InMemoryAuditRepository(int capacity) {
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(capacity);
    }

    @Override
    public synchronized AuditEntry append(AuditEntry entry) {
        AuditEntry stored = new AuditEntry(++lastId, entry.at(), entry.clientAddress(), entry.action(),
                entry.request(), entry.status(), entry.outcome());
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(stored);
        return stored;
    }

    @Override
    public synchronized List<AuditEntry> findBefore(Long beforeId, int limit) {
        List<AuditEntry> page = new ArrayList<>(Math.min(limit, entries.size()));
        Iterator<AuditEntry> newestFirst = entries.descendingIterator();
        while (newestFirst.hasNext() && page.size() < limit) {
            AuditEntry entry = newestFirst.next();
            if (beforeId == null || entry.id() < beforeId) {
                page.add(entry);
            }
        }
        return page;
    }
}
