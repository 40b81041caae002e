package fun.ai.studio.deploy.changes;

import java.util.Locale;

/** What a change log entry records; {@link #wire()} is its name on the wire. */
public enum ChangeKind {
    /** A node came into the registry, by its first heartbeat or an operator's upsert. */
    NODE_REGISTERED,
    /** A heartbeat or an operator's upsert changed the node's agent or gateway URL. */
    NODE_URLS_CHANGED,
    /** {@code set-enabled} or an operator's upsert changed {@code enabled}. */
    NODE_ENABLED,
    NODE_DISABLED,
    /** An operator's upsert changed the node's weight. */
    NODE_WEIGHT_CHANGED,
    /** The node's last heartbeat grew as old as the stale threshold: HEALTHY turned STALE. */
    NODE_STALE,
    /** A heartbeat made a STALE node HEALTHY again. */
    NODE_HEALTHY,
    /** The node's figures stopped fitting the {@code disk-aware} thresholds; the reason says which: disk or containers. */
    NODE_UNFIT,
    /** The node's figures fit the {@code disk-aware} thresholds again. */
    NODE_FIT,
    /** An app was placed for the first time. */
    PLACEMENT_CREATED,
    /** An app moved from one node to another; the reason says by what: reassign, drain or failover. */
    PLACEMENT_MOVED,
    /** The Runner reported a deployment result of the app. */
    APP_REPORTED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
