package fun.ai.studio.deploy.web.api;

import fun.ai.studio.deploy.changes.ChangeFeed;
import fun.ai.studio.deploy.node.NodeListPage;
import fun.ai.studio.deploy.node.NodeView;
import fun.ai.studio.deploy.node.RuntimeNodeService;
import fun.ai.studio.deploy.security.NodeTokens;
import fun.ai.studio.deploy.shared.ApiResponse;
import fun.ai.studio.deploy.shared.Identifiers;
import fun.ai.studio.deploy.shared.InvalidRequestException;
import fun.ai.studio.deploy.shared.Routes;
import fun.ai.studio.deploy.web.api.NodeUpsertRequest;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;


/** Operators' node management; authenticated by {@code X-Admin-Token} before this is reached. */
@RestController
class AdminRuntimeNodeController {

    // As for a node's placements.
    static final int MAX_PAGE = 2000;
    static final int DEFAULT_PAGE = 200;
    /**
     * The change log's revision read before the answer: a consumer that lists and then watches after it misses
     * nothing (it may see a change twice: in the list and in the feed).
     */
    static final String REVISION_HEADER = "X-Deploy-Revision";

    private final RuntimeNodeService nodes;
    private final NodeTokens tokens;
    private final NodeListCache listCache;
    private final ChangeFeed feed;

    AdminRuntimeNodeController(RuntimeNodeService nodes, NodeTokens tokens, NodeListCache listCache, ChangeFeed feed) {
        this.nodes = nodes;
        this.tokens = tokens;
        this.listCache = listCache;
        this.feed = feed;
    }

    /**
     * Without paging parameters, every node (the contract's plain array, unchanged); with {@code limit} or
     * {@code afterNodeId}, one keyset page, shaped like the placements page.
     */
    @GetMapping(Routes.NODE_LIST)
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "the envelope; data "
            + "holds the node views sorted by nodeId, or, when limit or afterNodeId is given, a page {items, nextAfterNodeId}",
            content = @Content(schema = @Schema(oneOf = {NodeView[].class, NodeListPage.class})))
    public ResponseEntity<?> list(
            @Parameter(description = "page size, 1-" + MAX_PAGE + "; default " + DEFAULT_PAGE + " when only afterNodeId is given")
            @RequestParam(required = false) Integer limit,
            @Parameter(description = "keyset paging: the page starts after this nodeId (0 or more); pass the previous "
                    + "page's nextAfterNodeId")
            @RequestParam(required = false) Long afterNodeId) {
        if (limit == null && afterNodeId == null) {
            NodeListCache.Answer answer = listCache.get(nodes::list, feed::revision);
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                    .header(REVISION_HEADER, String.valueOf(answer.revision())).body(answer.json());
        }
        int size = limit == null ? DEFAULT_PAGE : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw new InvalidRequestException("limit must be between 1 and " + MAX_PAGE);
        }
        if (afterNodeId != null && afterNodeId < 0) {
            throw new InvalidRequestException("afterNodeId must be 0 or more");
        }
        long revision = feed.revision();
        return ResponseEntity.ok().header(REVISION_HEADER, String.valueOf(revision))
                .body(ApiResponse.ok(nodes.listPage(afterNodeId == null ? 0 : afterNodeId, size)));
    }

    @PostMapping(path = Routes.NODE_UPSERT, consumes = MediaType.APPLICATION_JSON_VALUE)
    public ApiResponse<NodeView> upsert(@Valid @RequestBody NodeUpsertRequest request) {
        return ApiResponse.ok(nodes.upsert(request.toUpsert()));
    }

    /** Query parameters only; whatever body comes along is ignored. */
    @PostMapping(Routes.NODE_SET_ENABLED)
    public ApiResponse<String> setEnabled(@RequestParam String name, @RequestParam boolean enabled) {
        nodes.setEnabled(Identifiers.requireNodeName(name, "name"), enabled);
        return ApiResponse.ok(enabled ? "enabled" : "disabled");
    }

    /** The token the named node's agent sends under per-node auth; the node need not exist yet. Never cached. */
    @GetMapping(Routes.NODE_TOKEN)
    public ResponseEntity<ApiResponse<String>> token(@RequestParam String name) {
        String token = tokens.tokenOf(Identifiers.requireNodeName(name, "name"));
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(ApiResponse.ok(token));
    }
}
