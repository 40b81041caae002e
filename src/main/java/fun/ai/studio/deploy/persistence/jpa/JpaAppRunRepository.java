package fun.ai.studio.deploy.persistence.jpa;

import fun.ai.studio.deploy.apprun.AppRun;
import fun.ai.studio.deploy.apprun.AppRunRepository;
import fun.ai.studio.deploy.changes.Change;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * App runs in the database: a report is one upsert keyed by appId that keeps the stored {@code last_deployed_at}
 * when the report carries none, followed by a read of the row it left.
 */
class JpaAppRunRepository implements AppRunRepository {

    private final AppRunEntityRepository rows;
    private final WriteTransactions transactions;
    private final Clock clock;
    private final JpaChangeLog changes;

    JpaAppRunRepository(AppRunEntityRepository rows, WriteTransactions transactions, Clock clock, JpaChangeLog changes) {
        this.rows = rows;
        this.transactions = transactions;
        this.clock = clock;
        this.changes = changes;
    }

    @Override
    public AppRun save(AppRun run) {
        return transactions.execute(() -> {
            rows.upsert(run.appId(), run.nodeId(), run.lastJobId(), run.lastJobStatus(), run.lastError(),
                    run.lastDeployedAt(), run.lastActiveAt(), UtcTimes.column(clock.millis()));
            AppRun saved = rows.findById(run.appId()).map(AppRunEntity::toDomain)
                    .orElseThrow(() -> new IllegalStateException("app run of '" + run.appId() + "' missing after upsert"));
            changes.append(List.of(Change.reported(run.lastActiveAt(), run.appId(), run.nodeId())));
            return saved;
        });
    }

    @Override
    public Optional<AppRun> find(String appId) {
        return rows.findById(appId).map(AppRunEntity::toDomain);
    }
}
