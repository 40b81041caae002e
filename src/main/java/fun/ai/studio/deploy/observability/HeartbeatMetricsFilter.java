package fun.ai.studio.deploy.observability;

import fun.ai.studio.deploy.shared.Routes;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Counts authenticated heartbeats by how they ended, read from the status once the answer is settled. A filter
 * placed after access control rather than a handler interceptor, so heartbeats refused before a handler is
 * chosen (413 body too large, 415 wrong content type) count as invalid too.
 */
class HeartbeatMetricsFilter extends OncePerRequestFilter {

    private final DeployMetrics metrics;

    HeartbeatMetricsFilter(DeployMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !Routes.HEARTBEAT.equals(request.getServletPath());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        } finally {
            int status = failed ? 500 : response.getStatus();
            metrics.heartbeat(status < 400 ? DeployMetrics.HeartbeatOutcome.ACCEPTED
                    : status < 500 ? DeployMetrics.HeartbeatOutcome.INVALID : DeployMetrics.HeartbeatOutcome.ERROR);
        }
    }
}
