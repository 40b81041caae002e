package fun.ai.studio.deploy.placement;

import java.util.List;

/**
 * One page of a node's placements, ordered by appId, with the node's total; {@code nextAfterAppId} is the
 * {@code afterAppId} of the next page, or null after the last one.
 */
public record NodePlacementsPage(long nodeId, long total, List<Placement> items, String nextAfterAppId) {
}
