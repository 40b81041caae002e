package fun.ai.studio.deploy.node;

import fun.ai.studio.deploy.shared.UnknownNodeException;
import fun.ai.studio.deploy.shared.NotPermittedException;

import fun.ai.studio.deploy.audit.AuditService;
import fun.ai.studio.deploy.config.RegistryProperties;
import fun.ai.studio.deploy.config.RegistryProperties.Registration;
import fun.ai.studio.deploy.shared.NodeChanged;
import lombok.extern.slf4j.Slf4j;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The node registry: heartbeats, operators' changes and the views with judged health. New names are admitted as
 * {@code deploy.runtime-node-registry.registration} and {@code max-nodes} say; a node awaiting approval and a node
 * whose URLs changed are written to the audit trail.
 */
@Slf4j
@Service
public class RuntimeNodeService {

    private final RuntimeNodeRepository nodes;
    private final PlacementCounts placements;
    private final NodeHealthPolicy healthPolicy;
    private final Clock clock;
    private final NewNodePolicy newNodes;
    private final AuditService audit;
    private final PlaceableNodes placeable;
    private final ApplicationEventPublisher events;

    public RuntimeNodeService(RuntimeNodeRepository nodes, PlacementCounts placements, NodeHealthPolicy healthPolicy,
                              Clock clock, RegistryProperties registry, AuditService audit,
                              ApplicationEventPublisher events) {
        this.nodes = nodes;
        this.placements = placements;
        this.healthPolicy = healthPolicy;
        this.clock = clock;
        this.newNodes = new NewNodePolicy(registry.registration() == Registration.OPEN, registry.maxNodes());
        this.audit = audit;
        this.placeable = new PlaceableNodes(nodes, healthPolicy);
        this.events = events;
    }

    /** Records the heartbeat; {@code clientAddress} is the agent's, for the audit entries it may cause. */
    public NodeView heartbeat(Heartbeat heartbeat, String clientAddress) {
        Instant now = now();
        RecordedHeartbeat recorded;
        try {
            recorded = nodes.recordHeartbeat(heartbeat, newNodes, now);
        } catch (NodeLimitReached e) {
            throw limitReached(heartbeat.nodeName(), e);
        }
        RuntimeNode node = recorded.node();
        placeable.changed(node, now);
        events.publishEvent(new NodeChanged(recorded.created() ? NodeChanged.Kind.REGISTERED
                : recorded.urlsChanged() ? NodeChanged.Kind.URLS_CHANGED : NodeChanged.Kind.HEARTBEAT,
                node.id(), node.name(), now));
        if (recorded.created() && !newNodes.enabled()) {
            audit.recordNodeEvent(clientAddress, "awaiting-approval", asked(heartbeat), "node " + node.name()
                    + " (nodeId " + node.id() + ") registered disabled; approve it with POST "
                    + "/admin/runtime-nodes/set-enabled?name=" + node.name() + "&enabled=true");
        }
        if (recorded.urlsChanged()) {
            audit.recordNodeEvent(clientAddress, "urls-changed", asked(heartbeat), urlChanges(recorded));
        }
        return view(node, now, placements.heartbeatCount(node.id()));
    }

    public NodeView upsert(NodeUpsert upsert) {
        Instant now = now();
        RuntimeNode node;
        try {
            node = nodes.upsert(upsert, newNodes.maxNodes(), now);
        } catch (NodeLimitReached e) {
            throw limitReached(upsert.name(), e);
        }
        placeable.changed(node, now);
        events.publishEvent(new NodeChanged(NodeChanged.Kind.UPDATED, node.id(), node.name(), now));
        return view(node, now, placements.count(node.id()));
    }

    private static NotPermittedException limitReached(String name, NodeLimitReached e) {
        String message = "node limit of " + e.maxNodes() + " reached (deploy.runtime-node-registry.max-nodes)";
        log.warn("refused to create node {}: {}", name, message);
        return new NotPermittedException(message);
    }

    private static String asked(Heartbeat heartbeat) {
        return "nodeName=" + heartbeat.nodeName() + " agentBaseUrl=" + heartbeat.agentBaseUrl()
                + " gatewayBaseUrl=" + heartbeat.gatewayBaseUrl();
    }

    /** Each URL that changed, old and new. */
    private static String urlChanges(RecordedHeartbeat recorded) {
        List<String> changes = new ArrayList<>(2);
        if (!Objects.equals(recorded.previousAgentBaseUrl(), recorded.node().agentBaseUrl())) {
            changes.add("agentBaseUrl " + recorded.previousAgentBaseUrl() + " -> " + recorded.node().agentBaseUrl());
        }
        if (!Objects.equals(recorded.previousGatewayBaseUrl(), recorded.node().gatewayBaseUrl())) {
            changes.add("gatewayBaseUrl " + recorded.previousGatewayBaseUrl() + " -> " + recorded.node().gatewayBaseUrl());
        }
        return "node " + recorded.node().name() + ": " + String.join("; ", changes);
    }

    public void setEnabled(String name, boolean enabled) {
        Instant now = now();
        if (!nodes.setEnabled(name, enabled, now)) {
            throw new UnknownNodeException("no runtime node named '" + name + "'");
        }
        Long nodeId = placeable.changed(name, now).map(RuntimeNode::id).orElse(null);
        events.publishEvent(new NodeChanged(enabled ? NodeChanged.Kind.ENABLED : NodeChanged.Kind.DISABLED, nodeId,
                name, now));
    }

    public List<NodeView> list() {
        Instant now = now();
        Map<Long, Long> counts = placements.countAll();
        return nodes.findAll().stream()
                .map(node -> view(node, now, counts.getOrDefault(node.id(), 0L)))
                .toList();
    }

    /**
     * Up to {@code limit} node views with an id above {@code afterNodeId}. Reads only the page's nodes and counts
     * only their placements, so a page costs the same in a fleet of any size; it is not cached.
     */
    public NodeListPage listPage(long afterNodeId, int limit) {
        Instant now = now();
        // One node more than the page tells whether a next page exists, so the last page says so (null).
        List<RuntimeNode> rows = nodes.findPageAfter(afterNodeId, limit + 1);
        List<RuntimeNode> page = rows.size() > limit ? rows.subList(0, limit) : rows;
        Map<Long, Long> counts = placements.countByNodes(page.stream().map(RuntimeNode::id).toList());
        List<NodeView> items = page.stream().map(node -> view(node, now, counts.getOrDefault(node.id(), 0L))).toList();
        return new NodeListPage(items, rows.size() > limit ? page.get(limit - 1).id() : null);
    }

    /** The node, or 404 naming the parameter that referred to it. */
    public RuntimeNode require(long nodeId, String parameter) {
        return nodes.findById(nodeId)
                .orElseThrow(() -> new UnknownNodeException("no runtime node with " + parameter + " " + nodeId));
    }

    public Optional<RuntimeNode> findById(long nodeId) {
        return nodes.findById(nodeId);
    }

    /** Every node, ordered by id. */
    public List<RuntimeNode> all() {
        return nodes.findAll();
    }

    /** Up to {@code limit} nodes with an id above {@code afterNodeId}, ordered by id, without their views. */
    public List<RuntimeNode> pageAfter(long afterNodeId, int limit) {
        return nodes.findPageAfter(afterNodeId, limit);
    }

    /** Nodes that may receive new placements now, ordered by id; reads every node. */
    public List<RuntimeNode> placeableNodes(Instant now) {
        return nodes.findAll().stream().filter(node -> healthPolicy.isPlaceable(node, now)).toList();
    }

    /**
     * The same nodes for a strategy that picks one by position: the count costs nothing and {@code get(i)} reads
     * only that node, whatever the fleet's size. Changes made through other instances show within about 1 s.
     */
    public List<RuntimeNode> placeableByPosition(Instant now) {
        return placeable.at(now);
    }

    public NodeHealth health(RuntimeNode node, Instant now) {
        return healthPolicy.health(node, now);
    }

    /** Current time truncated to the millisecond, the precision every store keeps. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private NodeView view(RuntimeNode node, Instant now, long placementCount) {
        return NodeView.of(node, healthPolicy.health(node, now), healthPolicy.isPlaceable(node, now), placementCount);
    }
}
