package fun.ai.studio.deploy.shared;

/**
 * Whether this instance is, of all those sharing the store, the one that runs fleet-wide background work: the
 * failover reconciler, the change log's trimming and the recording of node condition flips. Alone in memory an instance always is; on a shared database a lease held in it decides.
 */
public interface Leadership {

    boolean isLeader();
}
