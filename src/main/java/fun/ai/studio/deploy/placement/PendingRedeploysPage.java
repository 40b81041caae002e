package fun.ai.studio.deploy.placement;

import java.util.List;

/**
 * One page of the redeploy backlog in appId order, with the backlog's size; {@code nextAfterAppId} is the
 * {@code afterAppId} of the next page, or null after the last one.
 */
public record PendingRedeploysPage(long total, List<PendingRedeploy> items, String nextAfterAppId) {
}
