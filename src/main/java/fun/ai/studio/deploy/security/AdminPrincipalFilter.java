package fun.ai.studio.deploy.security;

import fun.ai.studio.deploy.shared.EndpointGroup;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.security.Principal;

/**
 * Marks a request to {@code /actuator/**} that carries the right {@code X-Admin-Token} as the operator's, by giving
 * it a {@link Principal}: that is what Actuator's {@code show-details=when-authorized} looks for (there is no Spring
 * Security here), so health details and components are shown to operators and status alone to everyone else. A
 * wrong token is not refused here: the open probes must keep answering whatever a caller sends.
 */
public class AdminPrincipalFilter extends OncePerRequestFilter {

    static final Principal OPERATOR = () -> "operator";

    private final ApiSecrets secrets;

    public AdminPrincipalFilter(ApiSecrets secrets) {
        this.secrets = secrets;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getServletPath();
        return !(path.equals("/actuator") || path.startsWith("/actuator/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String token = request.getHeader(EndpointGroup.ADMIN.header());
        if (token == null || !secrets.matches(EndpointGroup.ADMIN, token)) {
            chain.doFilter(request, response);
            return;
        }
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
                return OPERATOR;
            }
        }, response);
    }
}
