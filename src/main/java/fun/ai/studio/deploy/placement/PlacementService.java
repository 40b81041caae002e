package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.node.NodeHealth;
import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.node.RuntimeNodeService;
import fun.ai.studio.deploy.web.ApiException;
import lombok.extern.slf4j.Slf4j;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sticky app placement: first choice by the strategy among placeable nodes, then kept until an operator moves it. */
@Slf4j
@Service
public class PlacementService {

    private final PlacementRepository placements;
    private final RuntimeNodeService nodes;
    private final PlacementStrategy strategy;

    public PlacementService(PlacementRepository placements, RuntimeNodeService nodes, PlacementStrategy strategy) {
        this.placements = placements;
        this.nodes = nodes;
        this.strategy = strategy;
    }

    /** Returns the app's node, placing the app first if it has none. */
    public PlacementView ensure(String appId) {
        Instant now = nodes.now();
        long nowMs = now.toEpochMilli();
        Optional<Placement> existing = placements.find(appId);
        if (existing.isPresent()) {
            RuntimeNode node = requireUsable(existing.get(), now);
            placements.touch(appId, nowMs);
            return view(appId, node, nowMs, false);
        }
        List<RuntimeNode> candidates = nodes.placeableNodes(now);
        if (candidates.isEmpty()) {
            throw ApiException.unavailable("no placeable runtime node: none is enabled, HEALTHY and has both URLs");
        }
        RuntimeNode chosen = strategy.choose(appId, candidates);
        PlacementRepository.PlaceResult result = placements.placeIfAbsent(appId, chosen.id(), nowMs);
        if (result.created()) {
            return view(appId, chosen, nowMs, true);
        }
        // Another caller placed the app first; its choice wins and is returned to everyone.
        Placement winner = result.placement();
        RuntimeNode node = winner.nodeId() == chosen.id() ? chosen : requireUsable(winner, now);
        return view(appId, node, winner.lastActiveAt(), false);
    }

    /** The app's placement as stored, without creating or refreshing anything. */
    public PlacementView get(String appId) {
        Placement placement = placements.find(appId)
                .orElseThrow(() -> ApiException.notFound("app '" + appId + "' has no placement"));
        RuntimeNode node = nodes.require(placement.nodeId(), "nodeId");
        return view(appId, node, placement.lastActiveAt(), false);
    }

    public Optional<Placement> find(String appId) {
        return placements.find(appId);
    }

    public NodePlacementsPage listByNode(long nodeId, long offset, int limit) {
        nodes.require(nodeId, "nodeId");
        return new NodePlacementsPage(nodeId, placements.countByNode(nodeId), placements.findByNode(nodeId, offset, limit));
    }

    public void reassign(String appId, long targetNodeId) {
        Instant now = nodes.now();
        RuntimeNode target = nodes.require(targetNodeId, "targetNodeId");
        requireAcceptsApps(target, now, "targetNodeId");
        placements.assign(appId, target.id(), now.toEpochMilli());
        log.info("reassigned app {} to node {} ({})", appId, target.id(), target.name());
    }

    public DrainResult drain(long sourceNodeId, long targetNodeId, int limit) {
        if (sourceNodeId == targetNodeId) {
            throw ApiException.badRequest("sourceNodeId and targetNodeId must differ (both are " + sourceNodeId + ")");
        }
        Instant now = nodes.now();
        nodes.require(sourceNodeId, "sourceNodeId");
        RuntimeNode target = nodes.require(targetNodeId, "targetNodeId");
        requireAcceptsApps(target, now, "targetNodeId");
        Map<String, Long> plan = new LinkedHashMap<>();
        for (Placement placement : placements.findByNode(sourceNodeId, 0, limit)) {
            plan.put(placement.appId(), targetNodeId);
        }
        int moved = placements.moveApps(sourceNodeId, plan, now.toEpochMilli()).getOrDefault(targetNodeId, 0);
        long remaining = placements.countByNode(sourceNodeId);
        log.info("drained {} apps from node {} to node {}, {} remaining", moved, sourceNodeId, targetNodeId, remaining);
        return new DrainResult(moved, sourceNodeId, targetNodeId, remaining);
    }

    private RuntimeNode requireUsable(Placement placement, Instant now) {
        Optional<RuntimeNode> found = nodes.findById(placement.nodeId());
        if (found.isEmpty()) {
            throw ApiException.conflict("app '" + placement.appId() + "' is placed on node " + placement.nodeId()
                    + ", which no longer exists; reassign the app");
        }
        RuntimeNode node = found.get();
        String problem = !node.enabled() ? "disabled"
                : nodes.health(node, now) != NodeHealth.HEALTHY ? "stale (no recent heartbeat)" : null;
        if (problem != null) {
            throw ApiException.conflict("app '" + placement.appId() + "' is placed on node " + node.id() + " ("
                    + node.name() + "), which is " + problem + "; drain the node or reassign the app");
        }
        return node;
    }

    private void requireAcceptsApps(RuntimeNode target, Instant now, String parameter) {
        if (!target.enabled()) {
            throw ApiException.conflict(parameter + " " + target.id() + " (" + target.name() + ") is disabled");
        }
        if (nodes.health(target, now) != NodeHealth.HEALTHY) {
            throw ApiException.conflict(parameter + " " + target.id() + " (" + target.name()
                    + ") is stale (no recent heartbeat)");
        }
    }

    private static PlacementView view(String appId, RuntimeNode node, long lastActiveAt, boolean created) {
        return new PlacementView(appId, node.id(), node.name(), node.agentBaseUrl(), node.gatewayBaseUrl(),
                lastActiveAt, created);
    }
}
