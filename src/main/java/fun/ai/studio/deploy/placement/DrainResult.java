package fun.ai.studio.deploy.placement;

/** The outcome of one drain call; call again while {@code remaining} is above zero. */
public record DrainResult(int moved, long sourceNodeId, long targetNodeId, long remaining) {
}
