package fun.ai.studio.deploy.web.api;

import fun.ai.studio.deploy.changes.ChangeFeed;
import fun.ai.studio.deploy.placement.DrainResult;
import fun.ai.studio.deploy.placement.NodePlacementsPage;
import fun.ai.studio.deploy.placement.PlacementService;
import fun.ai.studio.deploy.shared.ApiResponse;
import fun.ai.studio.deploy.shared.Identifiers;
import fun.ai.studio.deploy.shared.InvalidRequestException;
import fun.ai.studio.deploy.shared.Routes;
import fun.ai.studio.deploy.web.api.DrainRequest;
import fun.ai.studio.deploy.web.api.ReassignRequest;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Operators' view and moves of placements; authenticated by {@code X-Admin-Token} before this is reached. */
@RestController
class AdminPlacementController {

    static final int MAX_PAGE = 2000;

    private final PlacementService placements;
    private final ChangeFeed feed;

    AdminPlacementController(PlacementService placements, ChangeFeed feed) {
        this.placements = placements;
        this.feed = feed;
    }

    @GetMapping(Routes.NODE_PLACEMENTS)
    public ResponseEntity<ApiResponse<NodePlacementsPage>> placements(@RequestParam long nodeId,
                                                      @RequestParam(defaultValue = "0") long offset,
                                                      @RequestParam(required = false) String afterAppId,
                                                      @RequestParam(defaultValue = "200") int limit) {
        if (offset < 0) {
            throw new InvalidRequestException("offset must be 0 or more");
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidRequestException("limit must be between 1 and " + MAX_PAGE);
        }
        if (afterAppId != null) {
            Identifiers.requireAppId(afterAppId, "afterAppId");
            if (offset != 0) {
                throw new InvalidRequestException("use either offset or afterAppId, not both");
            }
        }
        long revision = feed.revision();
        return ResponseEntity.ok().header(AdminRuntimeNodeController.REVISION_HEADER, String.valueOf(revision))
                .body(ApiResponse.ok(placements.listByNode(nodeId, offset, afterAppId, limit)));
    }

    @PostMapping(path = Routes.REASSIGN, consumes = MediaType.APPLICATION_JSON_VALUE)
    public ApiResponse<String> reassign(@Valid @RequestBody ReassignRequest request) {
        placements.reassign(request.appId(), request.targetNodeId());
        return ApiResponse.ok("ok");
    }

    @PostMapping(path = Routes.DRAIN, consumes = MediaType.APPLICATION_JSON_VALUE)
    public ApiResponse<DrainResult> drain(@Valid @RequestBody DrainRequest request) {
        return ApiResponse.ok(placements.drain(request.sourceNodeId(), request.targetNodeId(), request.limitOrDefault(),
                request.isDryRun()));
    }
}
