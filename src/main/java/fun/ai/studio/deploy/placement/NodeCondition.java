package fun.ai.studio.deploy.placement;

/**
 * What the change log says of a node's condition: whether it is HEALTHY, and whether its figures fit the
 * {@code disk-aware} thresholds ({@link NodeFit}; always under the other strategies).
 */
public record NodeCondition(boolean healthy, boolean fits) {
}
