package fun.ai.studio.deploy.web.api;

import fun.ai.studio.deploy.shared.Routes;

import fun.ai.studio.deploy.apprun.AppRunService;
import fun.ai.studio.deploy.apprun.AppRunReport;
import fun.ai.studio.deploy.apprun.AppRun;
import fun.ai.studio.deploy.shared.ApiResponse;
import fun.ai.studio.deploy.shared.Identifiers;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The Runner reports deployment results here; authenticated by {@code X-Deploy-Secret} before this is reached. */
@RestController
class InternalAppRunController {

    private final AppRunService runs;

    InternalAppRunController(AppRunService runs) {
        this.runs = runs;
    }

    @PostMapping(path = Routes.REPORT, consumes = MediaType.APPLICATION_JSON_VALUE)
    public ApiResponse<AppRun> report(@PathVariable String appId, @Valid @RequestBody AppRunReport report) {
        return ApiResponse.ok(runs.report(Identifiers.requireAppId(appId, "appId"), report));
    }
}
