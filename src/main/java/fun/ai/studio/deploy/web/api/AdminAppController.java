package fun.ai.studio.deploy.web.api;

import fun.ai.studio.deploy.apprun.AppRunService;
import fun.ai.studio.deploy.apprun.AppStatusView;
import fun.ai.studio.deploy.changes.ChangeFeed;
import fun.ai.studio.deploy.placement.PendingRedeploysPage;
import fun.ai.studio.deploy.placement.PlacementService;
import fun.ai.studio.deploy.shared.ApiResponse;
import fun.ai.studio.deploy.shared.Identifiers;
import fun.ai.studio.deploy.shared.InvalidRequestException;
import fun.ai.studio.deploy.shared.Routes;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Operators look up one app, or the apps waiting for a redeploy; authenticated by {@code X-Admin-Token} first. */
@RestController
class AdminAppController {

    /** The only {@code state} listed so far: apps whose placement moved and that wait for a redeploy. */
    static final String MOVED = "moved";

    private final AppRunService runs;
    private final PlacementService placements;
    private final ChangeFeed feed;

    AdminAppController(AppRunService runs, PlacementService placements, ChangeFeed feed) {
        this.runs = runs;
        this.placements = placements;
        this.feed = feed;
    }

    @GetMapping(Routes.APP)
    public ApiResponse<AppStatusView> app(@PathVariable String appId) {
        return ApiResponse.ok(runs.status(Identifiers.requireAppId(appId, "appId")));
    }

    /** The redeploy backlog in keyset pages, with the revision to watch the change feed from (as the node list). */
    @GetMapping(Routes.APPS)
    public ResponseEntity<ApiResponse<PendingRedeploysPage>> apps(
            @Parameter(description = "which apps: only 'moved' (placement moved, no SUCCEEDED report on the new node)")
            @RequestParam(required = false) String state,
            @Parameter(description = "keyset paging: the page starts after this appId; pass the previous page's "
                    + "nextAfterAppId")
            @RequestParam(required = false) String afterAppId,
            @Parameter(description = "page size, 1-" + AdminPlacementController.MAX_PAGE)
            @RequestParam(defaultValue = "200") int limit) {
        if (!MOVED.equals(state)) {
            throw new InvalidRequestException("state is required and must be '" + MOVED + "'");
        }
        if (limit < 1 || limit > AdminPlacementController.MAX_PAGE) {
            throw new InvalidRequestException("limit must be between 1 and " + AdminPlacementController.MAX_PAGE);
        }
        if (afterAppId != null) {
            Identifiers.requireAppId(afterAppId, "afterAppId");
        }
        long revision = feed.revision();
        return ResponseEntity.ok().header(AdminRuntimeNodeController.REVISION_HEADER, String.valueOf(revision))
                .body(ApiResponse.ok(placements.pendingRedeploys(afterAppId, limit)));
    }
}
