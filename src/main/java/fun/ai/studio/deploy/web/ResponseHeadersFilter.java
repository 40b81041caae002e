package fun.ai.studio.deploy.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Marks every answer {@code Cache-Control: no-store} and {@code X-Content-Type-Options: nosniff}, set before
 * anything else runs so refusals by later filters and error pages carry them too. Answers hold node addresses,
 * placements and audit entries that no browser or intermediate cache should keep, and none is meant to be
 * read as anything but its declared type.
 */
class ResponseHeadersFilter extends OncePerRequestFilter {

    /** Also set by {@link EnvelopeErrorReportValve} on the refusals Tomcat makes before any filter runs. */
    static void apply(HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        apply(response);
        chain.doFilter(request, response);
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        // The container's error page may have reset the response the first pass marked.
        return false;
    }
}
