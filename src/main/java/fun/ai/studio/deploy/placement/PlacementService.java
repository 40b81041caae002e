package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.node.NodeHealth;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.node.RuntimeNodeService;
import fun.ai.studio.deploy.placement.EnsureOutcomes.Outcome;
import fun.ai.studio.deploy.shared.DomainException;
import fun.ai.studio.deploy.shared.InvalidRequestException;
import fun.ai.studio.deploy.shared.LogSafe;
import fun.ai.studio.deploy.shared.NoCapacityException;
import fun.ai.studio.deploy.shared.NotFoundException;
import fun.ai.studio.deploy.shared.PlacementChanged;
import fun.ai.studio.deploy.shared.PlacementConflictException;
import lombok.extern.slf4j.Slf4j;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Sticky app placement: a first placement is chosen by the strategy among placeable nodes and then kept;
 * it moves only when an operator reassigns or drains, or, under automatic failover, when its node is lost.
 */
@Slf4j
@Service
public class PlacementService {

    // Losing a race to another caller's move means re-reading; more than a few rounds means churn, not a race.
    private static final int MAX_ENSURE_ROUNDS = 3;

    private final PlacementRepository placements;
    private final RuntimeNodeService nodes;
    private final PlacementStrategy strategy;
    private final FailoverPolicy failover;
    private final NodePlacementCounts counts;
    private final EnsureOutcomes outcomes;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    PlacementService(PlacementRepository placements, RuntimeNodeService nodes, PlacementStrategy strategy,
                     FailoverPolicy failover, NodePlacementCounts counts, EnsureOutcomes outcomes,
                     ApplicationEventPublisher events, Clock clock) {
        this.placements = placements;
        this.nodes = nodes;
        this.strategy = strategy;
        this.failover = failover;
        this.counts = counts;
        this.outcomes = outcomes;
        this.events = events;
        this.clock = clock;
    }

    /** Now, to the millisecond, the precision every store keeps. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Returns the app's node, placing the app first if it has none. */
    public PlacementView ensure(String appId) {
        try {
            PlacementView view = ensureOnce(appId);
            outcomes.ensured(view.created() ? Outcome.CREATED : view.moved() ? Outcome.MOVED : Outcome.HIT);
            return view;
        } catch (NoCapacityException e) {
            outcomes.ensured(Outcome.NO_CAPACITY);
            throw e;
        } catch (DomainException e) {
            outcomes.ensured(Outcome.CONFLICT);
            throw e;
        }
    }

    private PlacementView ensureOnce(String appId) {
        Instant now = now();
        long nowMs = now.toEpochMilli();
        for (int round = 0; round < MAX_ENSURE_ROUNDS; round++) {
            Optional<Placement> existing = placements.find(appId);
            if (existing.isEmpty()) {
                return placeNew(appId, now);
            }
            Placement placement = existing.get();
            RuntimeNode node = nodes.findById(placement.nodeId())
                    .orElseThrow(() -> placedOnUnusable(placement, null, "gone"));
            String problem = unusableBecause(node, now);
            if (problem == null) {
                placements.touch(appId, nowMs);
                return view(appId, node, nowMs, false, null);
            }
            Optional<PlacementView> moved = failOver(placement, node, problem, now);
            if (moved.isPresent()) {
                return moved.get();
            }
        }
        throw new PlacementConflictException("app '" + appId + "' is being moved by other callers; retry");
    }

    private PlacementView placeNew(String appId, Instant now) {
        long nowMs = now.toEpochMilli();
        RuntimeNode chosen = choose(appId, strategy.picksByPosition() ? nodes.placeableByPosition(now)
                : nodes.placeableNodes(now), newLoads());
        PlacementRepository.PlaceResult result = placements.placeIfAbsent(appId, chosen.id(), nowMs);
        if (result.created()) {
            events.publishEvent(PlacementChanged.ofApp(PlacementChanged.Kind.CREATED, appId, null, chosen.id(), now));
            return view(appId, chosen, nowMs, true, null);
        }
        // Another caller placed the app first; its choice wins and is returned to everyone.
        Placement winner = result.placement();
        if (winner.nodeId() == chosen.id()) {
            return view(appId, chosen, winner.lastActiveAt(), false, null);
        }
        RuntimeNode node = nodes.findById(winner.nodeId()).orElseThrow(() -> placedOnUnusable(winner, null, "gone"));
        return view(appId, node, winner.lastActiveAt(), false, null);
    }

    /**
     * Moves the app off its unusable node when the failover policy allows; otherwise 409. Empty when another
     * caller moved the app first, so the caller reads the placement again.
     */
    private Optional<PlacementView> failOver(Placement placement, RuntimeNode from, String problem, Instant now) {
        FailoverPolicy.Decision decision = failover.decide(from, nodes.all(), n -> nodes.health(n, now), now);
        if (!decision.move()) {
            PlacementConflictException conflict = placedOnUnusable(placement, from, problem);
            throw decision.reason() == null ? conflict
                    : new PlacementConflictException(conflict.getMessage() + " (" + decision.reason() + ")");
        }
        List<RuntimeNode> candidates = nodes.placeableNodes(now).stream().filter(n -> n.id() != from.id()).toList();
        RuntimeNode target = choose(placement.appId(), candidates, newLoads());
        long nowMs = now.toEpochMilli();
        int moved = placements.moveApps(from.id(), Map.of(placement.appId(), target.id()), nowMs, MoveReason.FAILOVER)
                .getOrDefault(target.id(), 0);
        if (moved == 0) {
            return Optional.empty();
        }
        events.publishEvent(PlacementChanged.ofApp(PlacementChanged.Kind.FAILED_OVER, placement.appId(), from.id(),
                target.id(), now));
        log.warn("failover: app {} moved from node {} ({}) to node {} ({}): source {}", LogSafe.of(placement.appId()),
                from.id(), LogSafe.of(from.name()), target.id(), LogSafe.of(target.name()), decision.reason());
        placements.touch(placement.appId(), nowMs);
        return Optional.of(view(placement.appId(), target, nowMs, false, from.id()));
    }

    private NodeLoads newLoads() {
        return new NodeLoads(placements::countAllByNode);
    }

    private RuntimeNode choose(String appId, List<RuntimeNode> candidates, NodeLoads loads) {
        if (candidates.isEmpty()) {
            throw new NoCapacityException("no placeable runtime node: none is enabled, HEALTHY and has both URLs");
        }
        return strategy.choose(appId, candidates, loads)
                .orElseThrow(() -> new NoCapacityException("no runtime node can take app '" + appId
                        + "': every placeable node is excluded by the placement strategy (weight 0, disk or container limits)"));
    }

    /** The app's placement as stored, without creating or refreshing anything. */
    public PlacementView get(String appId) {
        Placement placement = placements.find(appId)
                .orElseThrow(() -> new NotFoundException("app '" + appId + "' has no placement"));
        RuntimeNode node = nodes.require(placement.nodeId(), "nodeId");
        return view(appId, node, placement.lastActiveAt(), false, null);
    }

    /** A page by {@code offset}, or by keyset after {@code afterAppId} when it is given. */
    public NodePlacementsPage listByNode(long nodeId, long offset, String afterAppId, int limit) {
        nodes.require(nodeId, "nodeId");
        // One row more than the page tells whether a next page exists, so a page that ends exactly at the node's
        // last app says so (null) instead of sending the caller to fetch an empty page.
        List<Placement> rows = afterAppId == null
                ? placements.findByNode(nodeId, offset, limit + 1)
                : placements.findByNodeAfter(nodeId, afterAppId, limit + 1);
        List<Placement> items = rows.size() > limit ? rows.subList(0, limit) : rows;
        String next = rows.size() > limit ? items.get(limit - 1).appId() : null;
        return new NodePlacementsPage(nodeId, counts.recentCount(nodeId), items, next);
    }

    /** A page of the redeploy backlog, apps in appId order after {@code afterAppId} (null: from the first). */
    public PendingRedeploysPage pendingRedeploys(String afterAppId, int limit) {
        // One row more than the page, as for a node's placements.
        List<PendingRedeploy> rows = placements.findPendingRedeploys(afterAppId, limit + 1);
        List<PendingRedeploy> items = rows.size() > limit ? rows.subList(0, limit) : rows;
        String next = rows.size() > limit ? items.get(limit - 1).appId() : null;
        return new PendingRedeploysPage(placements.countPendingRedeploys(), items, next);
    }

    public void reassign(String appId, long targetNodeId) {
        Instant now = now();
        RuntimeNode target = nodes.require(targetNodeId, "targetNodeId");
        requireAcceptsApps(target, now, "targetNodeId");
        Long from = placements.find(appId).map(Placement::nodeId).orElse(null);
        placements.assign(appId, target.id(), now.toEpochMilli());
        events.publishEvent(PlacementChanged.ofApp(PlacementChanged.Kind.REASSIGNED, appId, from, target.id(), now));
        log.info("reassigned app {} to node {} ({})", LogSafe.of(appId), target.id(), LogSafe.of(target.name()));
    }

    /**
     * Moves up to {@code limit} of the source's placements, in appId order, to the target, or, without a
     * target, each to the node the strategy picks among placeable nodes other than the source.
     */
    public DrainResult drain(long sourceNodeId, Long targetNodeId, int limit, boolean dryRun) {
        if (targetNodeId != null && sourceNodeId == targetNodeId) {
            throw new InvalidRequestException("sourceNodeId and targetNodeId must differ (both are " + sourceNodeId + ")");
        }
        Instant now = now();
        nodes.require(sourceNodeId, "sourceNodeId");
        List<RuntimeNode> candidates;
        if (targetNodeId != null) {
            RuntimeNode target = nodes.require(targetNodeId, "targetNodeId");
            requireAcceptsApps(target, now, "targetNodeId");
            candidates = List.of(target);
        } else {
            candidates = nodes.placeableNodes(now).stream().filter(n -> n.id() != sourceNodeId).toList();
            if (candidates.isEmpty()) {
                throw new NoCapacityException("no placeable runtime node other than node " + sourceNodeId + " to drain to");
            }
        }
        long nowMs = now.toEpochMilli();
        if (dryRun) {
            Map<String, Long> plan = plan(sourceNodeId, targetNodeId, candidates, limit);
            List<DrainResult.PlannedMove> moves = new ArrayList<>(plan.size());
            Map<Long, Integer> byTarget = new TreeMap<>();
            plan.forEach((appId, to) -> {
                moves.add(new DrainResult.PlannedMove(appId, sourceNodeId, to));
                byTarget.merge(to, 1, Integer::sum);
            });
            return new DrainResult(0, sourceNodeId, targetNodeId, placements.countByNode(sourceNodeId), Map.of(),
                    true, moves, byTarget);
        }
        Map<Long, Integer> movedByTarget = new TreeMap<>();
        if (targetNodeId != null) {
            // One statement that picks and moves the apps: no plan to read and no appIds to send back.
            int moved = placements.moveFirstApps(sourceNodeId, targetNodeId, limit, nowMs, MoveReason.DRAIN);
            if (moved > 0) {
                movedByTarget.put(targetNodeId, moved);
            }
        } else {
            movedByTarget.putAll(placements.moveApps(sourceNodeId, plan(sourceNodeId, null, candidates, limit), nowMs,
                    MoveReason.DRAIN));
        }
        int moved = movedByTarget.values().stream().mapToInt(Integer::intValue).sum();
        events.publishEvent(new PlacementChanged(PlacementChanged.Kind.DRAINED, null, sourceNodeId, movedByTarget, now));
        long remaining = placements.countByNode(sourceNodeId);
        log.info("drained {} apps from node {} {}, {} remaining", moved, sourceNodeId, movedByTarget, remaining);
        return new DrainResult(moved, sourceNodeId, targetNodeId, remaining, movedByTarget, false, null, null);
    }

    /**
     * Moves up to {@code limit} apps off nodes lost past the failover grace, as {@code ensure} would one by one,
     * each to the node the strategy picks; the failover policy's start-up hold and mass-staleness guard apply, and
     * disabled nodes are left to operators (disabling is not losing). Returns how many apps moved.
     */
    int failOverLostNodes(int limit) {
        Instant now = now();
        List<RuntimeNode> all = nodes.all();
        int moved = 0;
        for (RuntimeNode lost : all) {
            if (moved >= limit) {
                break;
            }
            if (!lost.enabled() || nodes.health(lost, now) != NodeHealth.STALE
                    || !failover.decide(lost, all, n -> nodes.health(n, now), now).move()) {
                continue;
            }
            List<RuntimeNode> candidates = nodes.placeableNodes(now).stream().filter(n -> n.id() != lost.id()).toList();
            if (candidates.isEmpty()) {
                break;
            }
            Map<Long, Integer> movedByTarget = placements.moveApps(lost.id(),
                    plan(lost.id(), null, candidates, limit - moved), now.toEpochMilli(), MoveReason.FAILOVER);
            int count = movedByTarget.values().stream().mapToInt(Integer::intValue).sum();
            if (count > 0) {
                moved += count;
                events.publishEvent(new PlacementChanged(PlacementChanged.Kind.FAILED_OVER, null, lost.id(),
                        movedByTarget, now));
                log.warn("failover: {} apps moved from lost node {} ({}) {}", count, lost.id(), LogSafe.of(lost.name()),
                        movedByTarget);
            }
        }
        return moved;
    }

    private Map<String, Long> plan(long sourceNodeId, Long targetNodeId, List<RuntimeNode> candidates, int limit) {
        Map<String, Long> plan = new LinkedHashMap<>();
        NodeLoads loads = newLoads();
        for (String appId : placements.firstAppIds(sourceNodeId, limit)) {
            RuntimeNode to = targetNodeId != null ? candidates.get(0) : choose(appId, candidates, loads);
            plan.put(appId, to.id());
            loads.add(to.id());
        }
        return plan;
    }

    /** Why the node cannot serve its apps now, or null when it can. */
    private String unusableBecause(RuntimeNode node, Instant now) {
        if (!node.enabled()) {
            return "disabled";
        }
        NodeHealth health = nodes.health(node, now);
        return health == NodeHealth.HEALTHY ? null
                : health == NodeHealth.STALE ? "stale (no recent heartbeat)" : "of unknown health (the registry is off)";
    }

    private static PlacementConflictException placedOnUnusable(Placement placement, RuntimeNode node, String problem) {
        String where = node == null ? "node " + placement.nodeId() : "node " + node.id() + " (" + node.name() + ")";
        return new PlacementConflictException("app '" + placement.appId() + "' is placed on " + where + ", which is " + problem
                + "; drain the node or reassign the app");
    }

    private void requireAcceptsApps(RuntimeNode target, Instant now, String parameter) {
        if (!target.enabled()) {
            throw new PlacementConflictException(parameter + " " + target.id() + " (" + target.name() + ") is disabled");
        }
        if (nodes.health(target, now) != NodeHealth.HEALTHY) {
            throw new PlacementConflictException(parameter + " " + target.id() + " (" + target.name()
                    + ") is stale (no recent heartbeat)");
        }
    }

    private static PlacementView view(String appId, RuntimeNode node, long lastActiveAt, boolean created,
                                      Long previousNodeId) {
        return new PlacementView(appId, node.id(), node.name(), node.agentBaseUrl(), node.gatewayBaseUrl(),
                lastActiveAt, created, previousNodeId != null, previousNodeId);
    }
}
