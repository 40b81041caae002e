package fun.ai.studio.deploy.observability;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

/** Counts authenticated heartbeats by how they ended, read from the status once the answer is settled. */
public class HeartbeatMetricsInterceptor implements HandlerInterceptor {

    private final DeployMetrics metrics;

    public HeartbeatMetricsInterceptor(DeployMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        int status = response.getStatus();
        metrics.heartbeat(status < 400 ? DeployMetrics.HeartbeatOutcome.ACCEPTED
                : status < 500 ? DeployMetrics.HeartbeatOutcome.INVALID : DeployMetrics.HeartbeatOutcome.ERROR);
    }
}
