package fun.ai.studio.deploy.web.api;

import fun.ai.studio.deploy.shared.Routes;

import fun.ai.studio.deploy.apprun.AppStatusView;
import fun.ai.studio.deploy.apprun.AppRunService;
import fun.ai.studio.deploy.shared.ApiResponse;
import fun.ai.studio.deploy.shared.Identifiers;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Operators look up one app; authenticated by {@code X-Admin-Token} before this is reached. */
@RestController
class AdminAppController {

    private final AppRunService runs;

    AdminAppController(AppRunService runs) {
        this.runs = runs;
    }

    @GetMapping(Routes.APP)
    public ApiResponse<AppStatusView> app(@PathVariable String appId) {
        return ApiResponse.ok(runs.status(Identifiers.requireAppId(appId, "appId")));
    }
}
