package fun.ai.studio.deploy.shared;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Placements changed on this instance; published after the change is stored. {@code movedTo} counts the apps
 * that went to each node. One app's change names it; a drain names no app and may move apps to several nodes,
 * or none when nothing was left. {@code fromNodeId} is null for a first placement.
 */
public record PlacementChanged(Kind kind, String appId, Long fromNodeId, Map<Long, Integer> movedTo, Instant at) {

    public enum Kind { CREATED, REASSIGNED, DRAINED, FAILED_OVER }

    public PlacementChanged {
        movedTo = Map.copyOf(movedTo);
    }

    public static PlacementChanged ofApp(Kind kind, String appId, Long fromNodeId, long toNodeId, Instant at) {
        return new PlacementChanged(kind, appId, fromNodeId, Map.of(toNodeId, 1), at);
    }

    /** How many apps moved or were placed. */
    public int apps() {
        return movedTo.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Every node whose placements changed. */
    public Set<Long> nodeIds() {
        Set<Long> ids = new HashSet<>(movedTo.keySet());
        if (fromNodeId != null) {
            ids.add(fromNodeId);
        }
        return ids;
    }
}
