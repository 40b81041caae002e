package fun.ai.studio.deploy.placement;

import java.util.List;
import java.util.Map;

/**
 * The outcome of one drain call; call again while {@code remaining} is above zero. A dry run moves nothing
 * and instead returns the {@code plan} and the counts per target it would move ({@code plannedByTarget}).
 */
public record DrainResult(
        int moved,
        long sourceNodeId,
        Long targetNodeId,
        long remaining,
        Map<Long, Integer> movedByTarget,
        boolean dryRun,
        List<PlannedMove> plan,
        Map<Long, Integer> plannedByTarget) {

    public record PlannedMove(String appId, long fromNodeId, long toNodeId) {
    }
}
