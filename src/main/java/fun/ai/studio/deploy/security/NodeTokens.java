package fun.ai.studio.deploy.security;

import fun.ai.studio.deploy.shared.NotPermittedException;
import fun.ai.studio.deploy.shared.ConflictException;

import fun.ai.studio.deploy.shared.EndpointGroup;
import fun.ai.studio.deploy.observability.DeployMetrics;
import fun.ai.studio.deploy.shared.LogSafe;
import jakarta.servlet.http.HttpServletRequest;
import lombok.extern.slf4j.Slf4j;
import org.springframework.stereotype.Component;

/**
 * Per-node auth ({@code deploy.runtime-node-registry.node-auth=per-node}), the way Kubernetes' node authorizer holds
 * a kubelet to its own Node object: a node's token speaks for that node only. The access filter has required some
 * token; once the heartbeat's body has named the node, {@link #requireTokenOf} requires it to be that node's.
 */
@Slf4j
@Component
public class NodeTokens {

    static final String OTHER_NODE_TOKEN = "other_node_token";

    private final ApiSecrets secrets;
    private final ClientAddressResolver clients;
    private final DeployMetrics metrics;

    public NodeTokens(ApiSecrets secrets, ClientAddressResolver clients, DeployMetrics metrics) {
        this.secrets = secrets;
        this.clients = clients;
        this.metrics = metrics;
    }

    /** Throws 403, counted and logged (without the token), unless the request's token may speak for the node. */
    public void requireTokenOf(String nodeName, HttpServletRequest request) {
        String header = EndpointGroup.RUNTIME_NODE_REGISTRY.header();
        if (!secrets.perNode() || secrets.isNodeToken(nodeName, request.getHeader(header))) {
            return;
        }
        metrics.authenticationFailed(EndpointGroup.RUNTIME_NODE_REGISTRY, OTHER_NODE_TOKEN);
        log.warn("refused heartbeat for node {} from {}: its {} is not this node's token", LogSafe.of(nodeName),
                LogSafe.of(clients.clientAddress(request)), header);
        throw new NotPermittedException(header + " is not the token of node '" + nodeName + "'");
    }

    /** The token an operator gives the named node's agent; 409 while per-node auth is off. */
    public String tokenOf(String nodeName) {
        if (!secrets.perNode()) {
            throw new ConflictException("per-node auth is off (deploy.runtime-node-registry.node-auth=shared): "
                    + "every agent sends the shared secret, and no node has a token of its own");
        }
        return secrets.nodeToken(nodeName);
    }
}
