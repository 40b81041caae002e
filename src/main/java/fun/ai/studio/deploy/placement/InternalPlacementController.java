package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.web.ApiResponse;
import fun.ai.studio.deploy.web.Identifiers;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The Runner asks here where an app runs; authenticated by {@code X-Deploy-Secret} before this is reached. */
@RestController
@RequestMapping("/internal/placements")
public class InternalPlacementController {

    private final PlacementService placements;

    public InternalPlacementController(PlacementService placements) {
        this.placements = placements;
    }

    @PostMapping(path = "/ensure", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ApiResponse<PlacementView> ensure(@Valid @RequestBody EnsureRequest request) {
        return ApiResponse.ok(placements.ensure(request.appId()));
    }

    @GetMapping("/{appId}")
    public ApiResponse<PlacementView> get(@PathVariable String appId) {
        return ApiResponse.ok(placements.get(Identifiers.requireAppId(appId, "appId")));
    }
}
