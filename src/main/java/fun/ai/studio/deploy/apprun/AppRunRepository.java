package fun.ai.studio.deploy.apprun;

import java.util.Optional;

/** Stores the last known run of each app, one row per app. */
public interface AppRunRepository {

    /**
     * Creates or replaces the app's row with {@code run}, except that a null {@code lastDeployedAt} keeps
     * the stored one. Atomic per app: concurrent reports leave one row, equal to one of them.
     */
    AppRun save(AppRun run);

    Optional<AppRun> find(String appId);
}
