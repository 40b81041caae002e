package fun.ai.studio.deploy.persistence.jpa;

import fun.ai.studio.deploy.apprun.AppRun;
import fun.ai.studio.deploy.apprun.AppRunRepository;

import java.time.Clock;
import java.util.Optional;

/**
 * App runs in the database: a report is one upsert keyed by appId that keeps the stored {@code last_deployed_at}
 * when the report carries none, followed by a read of the row it left.
 */
class JpaAppRunRepository implements AppRunRepository {

    private final AppRunEntityRepository rows;
    private final WriteTransactions transactions;
    private final Clock clock;

    JpaAppRunRepository(AppRunEntityRepository rows, WriteTransactions transactions, Clock clock) {
        this.rows = rows;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public AppRun save(AppRun run) {
        return transactions.execute(() -> {
            rows.upsert(run.appId(), run.nodeId(), run.lastJobId(), run.lastJobStatus(), run.lastError(),
                    run.lastDeployedAt(), run.lastActiveAt(), UtcTimes.column(clock.millis()));
            return rows.findById(run.appId()).map(AppRunEntity::toDomain)
                    .orElseThrow(() -> new IllegalStateException("app run of '" + run.appId() + "' missing after upsert"));
        });
    }

    @Override
    public Optional<AppRun> find(String appId) {
        return rows.findById(appId).map(AppRunEntity::toDomain);
    }
}
