package fun.ai.studio.deploy.changes;

import java.util.Locale;

/** What a change log entry records; {@link #wire()} is its name on the wire. */
public enum ChangeKind {
    /** A node came into the registry, by its first heartbeat or an operator's upsert. */
    NODE_REGISTERED,
    /** A heartbeat changed the node's agent or gateway URL. */
    NODE_URLS_CHANGED,
    /** An operator's upsert changed a known node (URLs, enabled or weight). */
    NODE_UPDATED,
    NODE_ENABLED,
    NODE_DISABLED,
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
