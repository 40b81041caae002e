package fun.ai.studio.deploy.changes;

import java.util.List;

/**
 * A page of the change log: entries in revision order, the revision to watch after next (the last entry's, or
 * the one asked after when there is none), and the oldest revision still kept.
 */
public record ChangesPage(List<ChangeEntry> items, long nextAfter, long oldestAvailable) {
}
