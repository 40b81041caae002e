package fun.ai.studio.deploy.node;

import fun.ai.studio.deploy.web.ApiResponse;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Runtime-agents report here; authenticated by {@code X-RT-Node-Token} before this is reached. */
@RestController
public class HeartbeatController {

    private final RuntimeNodeService nodes;

    public HeartbeatController(RuntimeNodeService nodes) {
        this.nodes = nodes;
    }

    @PostMapping(path = "/internal/runtime-nodes/heartbeat", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ApiResponse<NodeView> heartbeat(@Valid @RequestBody HeartbeatRequest request) {
        return ApiResponse.ok(nodes.heartbeat(request.toHeartbeat()));
    }
}
