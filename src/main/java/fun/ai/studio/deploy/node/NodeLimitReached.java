package fun.ai.studio.deploy.node;

/** A new node was refused because the store already holds the most it may; nothing was written. */
public class NodeLimitReached extends RuntimeException {

    private final int maxNodes;

    public NodeLimitReached(int maxNodes) {
        super("node limit of " + maxNodes + " reached", null, false, false);
        this.maxNodes = maxNodes;
    }

    public int maxNodes() {
        return maxNodes;
    }
}
