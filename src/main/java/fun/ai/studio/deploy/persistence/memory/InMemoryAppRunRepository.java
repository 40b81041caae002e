package fun.ai.studio.deploy.persistence.memory;

import fun.ai.studio.deploy.apprun.AppRun;
import fun.ai.studio.deploy.apprun.AppRunRepository;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** App runs in memory; a report is one atomic {@code merge} on the appId. */
public class InMemoryAppRunRepository implements AppRunRepository {

    private final ConcurrentMap<String, AppRun> byApp = new ConcurrentHashMap<>();

    @Override
    public AppRun save(AppRun run) {
        return byApp.merge(run.appId(), run, (current, next) -> next.lastDeployedAt() != null ? next
                : new AppRun(next.appId(), next.nodeId(), next.lastJobId(), next.lastJobStatus(), next.lastError(),
                        current.lastDeployedAt(), next.lastActiveAt()));
    }

    @Override
    public Optional<AppRun> find(String appId) {
        return Optional.ofNullable(byApp.get(appId));
    }
}
