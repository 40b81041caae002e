package fun.ai.studio.deploy.node;

import fun.ai.studio.deploy.web.ApiResponse;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import fun.ai.studio.deploy.security.NodeTokens;
import fun.ai.studio.deploy.web.Identifiers;
import jakarta.validation.Valid;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;


/** Operators' node management; authenticated by {@code X-Admin-Token} before this is reached. */
@RestController
@RequestMapping("/admin/runtime-nodes")
public class AdminRuntimeNodeController {

    private final RuntimeNodeService nodes;
    private final NodeTokens tokens;

    public AdminRuntimeNodeController(RuntimeNodeService nodes, NodeTokens tokens) {
        this.nodes = nodes;
        this.tokens = tokens;
    }

    @GetMapping("/list")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "the envelope; data holds the node views sorted by nodeId",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = NodeView.class))))
    public ResponseEntity<byte[]> list() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(nodes.listJson());
    }

    @PostMapping(path = "/upsert", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ApiResponse<NodeView> upsert(@Valid @RequestBody NodeUpsertRequest request) {
        return ApiResponse.ok(nodes.upsert(request.toUpsert()));
    }

    /** Query parameters only; whatever body comes along is ignored. */
    @PostMapping("/set-enabled")
    public ApiResponse<String> setEnabled(@RequestParam String name, @RequestParam boolean enabled) {
        nodes.setEnabled(Identifiers.requireNodeName(name, "name"), enabled);
        return ApiResponse.ok(enabled ? "enabled" : "disabled");
    }

    /** The token the named node's agent sends under per-node auth; the node need not exist yet. Never cached. */
    @GetMapping("/token")
    public ResponseEntity<ApiResponse<String>> token(@RequestParam String name) {
        String token = tokens.tokenOf(Identifiers.requireNodeName(name, "name"));
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(ApiResponse.ok(token));
    }
}
