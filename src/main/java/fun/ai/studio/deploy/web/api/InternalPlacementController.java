package fun.ai.studio.deploy.web.api;

import fun.ai.studio.deploy.shared.Routes;

import fun.ai.studio.deploy.placement.PlacementView;
import fun.ai.studio.deploy.placement.PlacementService;
import fun.ai.studio.deploy.web.api.EnsureRequest;
import fun.ai.studio.deploy.shared.ApiResponse;
import fun.ai.studio.deploy.shared.Identifiers;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The Runner asks here where an app runs; authenticated by {@code X-Deploy-Secret} before this is reached. */
@RestController
class InternalPlacementController {

    private final PlacementService placements;

    InternalPlacementController(PlacementService placements) {
        this.placements = placements;
    }

    @PostMapping(path = Routes.ENSURE, consumes = MediaType.APPLICATION_JSON_VALUE)
    public ApiResponse<PlacementView> ensure(@Valid @RequestBody EnsureRequest request) {
        return ApiResponse.ok(placements.ensure(request.appId()));
    }

    @GetMapping(Routes.PLACEMENT)
    public ApiResponse<PlacementView> get(@PathVariable String appId) {
        return ApiResponse.ok(placements.get(Identifiers.requireAppId(appId, "appId")));
    }
}
