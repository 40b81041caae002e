package fun.ai.studio.deploy.shared;

import java.time.Instant;

/**
 * A runtime node changed on this instance; published after the change is stored. {@code nodeId} is null only when
 * the node was deleted behind the service's back between an enable or disable and the read that follows it.
 */
public record NodeChanged(Kind kind, Long nodeId, String nodeName, Instant at) {

    public enum Kind {
        /** A heartbeat created the node. */
        REGISTERED,
        /** A heartbeat of a known node; its time and figures changed, nothing else. */
        HEARTBEAT,
        /** A heartbeat changed the node's agent or gateway URL. */
        URLS_CHANGED,
        /** An operator created or updated the node. */
        UPDATED,
        ENABLED,
        DISABLED
    }
}
