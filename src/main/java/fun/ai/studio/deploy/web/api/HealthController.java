package fun.ai.studio.deploy.web.api;

import fun.ai.studio.deploy.shared.Routes;

import fun.ai.studio.deploy.shared.ApiResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.Map;

/** An unauthenticated liveness answer in the envelope, polled by the platform API through its proxy. */
@RestController
class HealthController {

    private final Clock clock;

    HealthController(Clock clock) {
        this.clock = clock;
    }

    @GetMapping(Routes.HEALTH)
    public ApiResponse<Map<String, Object>> health() {
        return ApiResponse.ok(Map.of("service", "fun-ai-studio-deploy", "status", "UP",
                "timestamp", clock.millis()));
    }
}
