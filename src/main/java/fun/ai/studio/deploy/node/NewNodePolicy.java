package fun.ai.studio.deploy.node;

/**
 * How a heartbeat for a name the store does not hold yet is treated.
 *
 * @param enabled  whether the node is created enabled ({@code registration=open}) or disabled until an operator
 *                 approves it ({@code registration=approval})
 * @param maxNodes no node is created while the store holds this many
 */
public record NewNodePolicy(boolean enabled, int maxNodes) {
}
