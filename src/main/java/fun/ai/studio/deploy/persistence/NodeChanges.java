package fun.ai.studio.deploy.persistence;

import fun.ai.studio.deploy.changes.Change;
import fun.ai.studio.deploy.changes.ChangeKind;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.placement.NodeCondition;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The change log entries of a node write, derived from the node before and after it: every store records them
 * through here, so the stores cannot come to record one change differently.
 */
public final class NodeChanges {

    private NodeChanges() {
    }

    /** An operator's upsert of a known node: one entry for each of URLs, {@code enabled} and weight it changed. */
    public static List<Change> ofUpsert(RuntimeNode before, RuntimeNode after, long atMs) {
        List<Change> changes = new ArrayList<>(3);
        if (!Objects.equals(before.agentBaseUrl(), after.agentBaseUrl())
                || !Objects.equals(before.gatewayBaseUrl(), after.gatewayBaseUrl())) {
            changes.add(Change.ofNode(ChangeKind.NODE_URLS_CHANGED, atMs, after.id()));
        }
        changes.addAll(ofEnabled(after.id(), before.enabled(), after.enabled(), atMs));
        if (before.weight() != after.weight()) {
            changes.add(Change.ofNode(ChangeKind.NODE_WEIGHT_CHANGED, atMs, after.id()));
        }
        return changes;
    }

    /** {@code enabled} set from {@code before} to {@code after}: an entry when that changed it. */
    public static List<Change> ofEnabled(long nodeId, boolean before, boolean after, long atMs) {
        return before == after ? List.of()
                : List.of(Change.ofNode(after ? ChangeKind.NODE_ENABLED : ChangeKind.NODE_DISABLED, atMs, nodeId));
    }

    /** A recorded condition replaced: health first, then fit; {@code misfit} is why the node stopped fitting. */
    public static List<Change> ofConditions(long nodeId, NodeCondition from, NodeCondition to, String misfit,
                                            long atMs) {
        List<Change> changes = new ArrayList<>(2);
        if (from.healthy() != to.healthy()) {
            changes.add(Change.ofNode(to.healthy() ? ChangeKind.NODE_HEALTHY : ChangeKind.NODE_STALE, atMs, nodeId));
        }
        if (from.fits() != to.fits()) {
            changes.add(to.fits() ? Change.ofNode(ChangeKind.NODE_FIT, atMs, nodeId)
                    : Change.unfit(atMs, nodeId, Objects.requireNonNull(misfit, "why the node stopped fitting")));
        }
        return changes;
    }
}
