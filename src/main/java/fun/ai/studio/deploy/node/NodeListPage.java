package fun.ai.studio.deploy.node;

import java.util.List;

/**
 * One page of the node list, ordered by nodeId; {@code nextAfterNodeId} is the {@code afterNodeId} of the next
 * page, or null after the last one.
 */
public record NodeListPage(List<NodeView> items, Long nextAfterNodeId) {
}
