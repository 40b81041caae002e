package fun.ai.studio.deploy.persistence.memory;

import fun.ai.studio.deploy.apprun.AppRun;
import fun.ai.studio.deploy.apprun.AppRunRepository;
import fun.ai.studio.deploy.changes.Change;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** App runs in memory; a report is one atomic {@code merge} on the appId. */
public class InMemoryAppRunRepository implements AppRunRepository {

    private final ConcurrentMap<String, AppRun> byApp = new ConcurrentHashMap<>();
    private final InMemoryChangeLog changes;

    /** Records each report in {@code changes} after storing it. */
    public InMemoryAppRunRepository(InMemoryChangeLog changes) {
        this.changes = changes;
    }

    /** With a change log of its own, for uses that never read one. */
    public InMemoryAppRunRepository() {
        this(new InMemoryChangeLog(1_000));
    }

    @Override
    public AppRun save(AppRun run) {
        AppRun saved = byApp.merge(run.appId(), run, (current, next) -> next.lastDeployedAt() != null ? next
                : new AppRun(next.appId(), next.nodeId(), next.lastJobId(), next.lastJobStatus(), next.lastError(),
                        current.lastDeployedAt(), next.lastActiveAt()));
        changes.append(Change.reported(run.lastActiveAt(), run.appId(), run.nodeId()));
        return saved;
    }

    @Override
    public Optional<AppRun> find(String appId) {
        return Optional.ofNullable(byApp.get(appId));
    }
}
