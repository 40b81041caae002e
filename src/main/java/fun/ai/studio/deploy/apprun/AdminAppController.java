package fun.ai.studio.deploy.apprun;

import fun.ai.studio.deploy.web.ApiResponse;
import fun.ai.studio.deploy.web.Identifiers;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Operators look up one app; authenticated by {@code X-Admin-Token} before this is reached. */
@RestController
public class AdminAppController {

    private final AppRunService runs;

    public AdminAppController(AppRunService runs) {
        this.runs = runs;
    }

    @GetMapping("/admin/apps/{appId}")
    public ApiResponse<AppStatusView> app(@PathVariable String appId) {
        return ApiResponse.ok(runs.status(Identifiers.requireAppId(appId, "appId")));
    }
}
