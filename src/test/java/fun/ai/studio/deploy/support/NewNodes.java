package fun.ai.studio.deploy.support;

import fun.ai.studio.deploy.node.NewNodePolicy;

/** The registry's defaults for new nodes, for tests that call a node repository directly. */
public final class NewNodes {

    /** {@code deploy.runtime-node-registry.max-nodes} by default. */
    public static final int MAX = 10_000;

    /** {@code registration=open} with the default limit: new nodes are created enabled. */
    public static final NewNodePolicy OPEN = new NewNodePolicy(true, MAX);

    private NewNodes() {
    }
}
