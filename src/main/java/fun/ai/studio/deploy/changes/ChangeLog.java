package fun.ai.studio.deploy.changes;

import java.util.List;

/**
 * The change log as its store keeps it. The stores append to it in the transaction of each change (or, in
 * memory, as they make it); readers see entries in revision order, never one revision before another that
 * committed earlier.
 */
public interface ChangeLog {

    /** Up to {@code limit} entries after {@code revision}, in revision order. */
    List<ChangeEntry> after(long revision, int limit);

    /** The newest revision committed, 0 when the log never held an entry. */
    long latestRevision();

    /**
     * The oldest revision still kept; a reader that has seen less than {@code oldestAvailable() - 1} may have
     * missed entries. When nothing is kept it is {@code latestRevision() + 1}.
     */
    long oldestAvailable();

    /** Removes entries older than {@code beforeMs} and all but the newest {@code keep}; returns how many. */
    long trim(long beforeMs, long keep);
}
