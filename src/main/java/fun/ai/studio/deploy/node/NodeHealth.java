package fun.ai.studio.deploy.node;

/** How fresh a node's heartbeat is; UNKNOWN when the registry is switched off and nothing is judged. */
public enum NodeHealth {
    HEALTHY, STALE, UNKNOWN
}
