package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.config.RegistryProperties;
import fun.ai.studio.deploy.config.RuntimeProperties;
import fun.ai.studio.deploy.node.NodeHealth;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.node.RuntimeNodeService;
import fun.ai.studio.deploy.shared.Leadership;
import fun.ai.studio.deploy.shared.PeriodicTask;
import lombok.extern.slf4j.Slf4j;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records in the change log each node turning STALE or HEALTHY again and, under {@code disk-aware}, its figures
 * starting or stopping to fit ({@link NodeFit}). No write makes these flips (time does, or a figure of a heartbeat
 * the store may hold back), so once a second the leading instance ({@link Leadership}) compares every node with its
 * condition as last recorded ({@link NodeConditionRepository}) and records each difference once. A node seen for the
 * first time gets its condition stored without an entry: its registration has one.
 * <p>
 * It reads the node table, not heartbeats held in other instances' memory: with heartbeat coalescing those reach
 * the table within the flush interval (at most 1 s), far below the stale threshold, and a heartbeat that changes
 * the fit is written at once.
 */
@Slf4j
@Component
class NodeConditionRecorder extends PeriodicTask {

    static final long TICK_MS = 1_000;
    // Nodes are read by id in pages of this many, so a large fleet is never held in memory at once.
    static final int PAGE = 1_000;

    private final RuntimeNodeService nodes;
    private final NodeConditionRepository conditions;
    private final Leadership leadership;
    private final NodeFit fit;
    private final boolean registryOn;
    private final Clock clock;
    // The recorded conditions as this leader knows them, so a round reads only the nodes: read from the store when it
    // starts leading, and again after another recorder changed one under it. Null until then.
    private Map<Long, NodeCondition> recorded;

    NodeConditionRecorder(RuntimeNodeService nodes, NodeConditionRepository conditions, Leadership leadership,
                          RuntimeProperties runtime, RegistryProperties registry, Clock clock) {
        super("node-conditions", TICK_MS);
        this.nodes = nodes;
        this.conditions = conditions;
        this.leadership = leadership;
        this.fit = NodeFit.of(runtime.placement());
        this.registryOn = registry.enabled();
        this.clock = clock;
    }

    /**
     * One round, when this instance leads and the registry judges health (switched off, every node is UNKNOWN and
     * nothing flips). Returns how many nodes' conditions it recorded as changed.
     */
    synchronized int record() {
        if (!registryOn || !leadership.isLeader()) {
            recorded = null;
            return 0;
        }
        try {
            return recordChanges(clock.instant().truncatedTo(ChronoUnit.MILLIS));
        } catch (RuntimeException e) {
            // The database away: the next round reads the recorded conditions again and records what this one missed.
            recorded = null;
            log.debug("node conditions not recorded: {}", e.getClass().getSimpleName());
            return 0;
        }
    }

    private int recordChanges(Instant now) {
        if (recorded == null) {
            recorded = new HashMap<>(conditions.findAll());
        }
        long nowMs = now.toEpochMilli();
        // Set when another recorder wrote a condition since this one read it: that one recorded the flip, and this
        // one reads the conditions again next round.
        boolean outdated = false;
        int changed = 0;
        List<RuntimeNode> page = nodes.pageAfter(0, PAGE);
        while (!page.isEmpty()) {
            Map<Long, NodeCondition> firsts = new HashMap<>();
            for (RuntimeNode node : page) {
                NodeCondition current = new NodeCondition(nodes.health(node, now) == NodeHealth.HEALTHY, fit.fits(node));
                NodeCondition last = recorded.get(node.id());
                if (last == null) {
                    firsts.put(node.id(), current);
                } else if (!current.equals(last)) {
                    if (conditions.recordFlip(node.id(), last, current, fit.misfit(node), nowMs)) {
                        recorded.put(node.id(), current);
                        changed++;
                    } else {
                        outdated = true;
                    }
                }
            }
            if (!firsts.isEmpty()) {
                outdated |= conditions.recordFirst(firsts, nowMs) < firsts.size();
                recorded.putAll(firsts);
            }
            page = page.size() < PAGE ? List.of() : nodes.pageAfter(page.get(page.size() - 1).id(), PAGE);
        }
        if (outdated) {
            recorded = null;
        }
        return changed;
    }

    @Override
    protected void runOnce() {
        record();
    }

    @Override
    protected boolean enabled() {
        return registryOn;
    }
}
