package fun.ai.studio.deploy.web.api;

import fun.ai.studio.deploy.shared.Routes;

import fun.ai.studio.deploy.node.RuntimeNodeService;
import fun.ai.studio.deploy.node.NodeView;
import fun.ai.studio.deploy.web.api.HeartbeatRequest;
import fun.ai.studio.deploy.security.ClientAddressResolver;
import fun.ai.studio.deploy.security.NodeTokens;
import fun.ai.studio.deploy.shared.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Runtime-agents report here; a token was required by {@code ApiAccessFilter} before this is reached, and under
 * per-node auth it must also be the token of the node the body names.
 */
@RestController
class HeartbeatController {

    private final RuntimeNodeService nodes;
    private final NodeTokens tokens;
    private final ClientAddressResolver clients;

    HeartbeatController(RuntimeNodeService nodes, NodeTokens tokens, ClientAddressResolver clients) {
        this.nodes = nodes;
        this.tokens = tokens;
        this.clients = clients;
    }

    @PostMapping(path = Routes.HEARTBEAT, consumes = MediaType.APPLICATION_JSON_VALUE)
    public ApiResponse<NodeView> heartbeat(@Valid @RequestBody HeartbeatRequest body, HttpServletRequest request) {
        tokens.requireTokenOf(body.nodeName(), request);
        return ApiResponse.ok(nodes.heartbeat(body.toHeartbeat(), clients.clientAddress(request)));
    }
}
