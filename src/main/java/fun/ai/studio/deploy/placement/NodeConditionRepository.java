package fun.ai.studio.deploy.placement;

import java.util.Map;

/**
 * The condition of each node as last recorded in the change log, kept with the log so that whichever instance
 * leads next goes on from it. Each write is a compare-and-set, so of recorders that briefly both believe they lead,
 * one records a flip and the others write nothing.
 */
public interface NodeConditionRepository {

    /** Every recorded condition, by node id. */
    Map<Long, NodeCondition> findAll();

    /**
     * Stores the conditions of nodes that have none yet, by node id, recording nothing in the change log (a node's
     * registration has an entry of its own); a node that already has one keeps it. Returns how many it stored.
     */
    int recordFirst(Map<Long, NodeCondition> conditions, long atMs);

    /**
     * Replaces the node's condition {@code from} by {@code to} and, in the same transaction, records each flip between
     * them in the change log: HEALTHY and STALE, fitting and not ({@code misfit} says why it stopped fitting:
     * {@link NodeFit#DISK} or {@link NodeFit#CONTAINERS}). False, writing nothing, when the stored condition is not
     * {@code from}.
     */
    boolean recordFlip(long nodeId, NodeCondition from, NodeCondition to, String misfit, long atMs);
}
