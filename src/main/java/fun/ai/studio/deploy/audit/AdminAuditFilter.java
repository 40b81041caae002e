package fun.ai.studio.deploy.audit;

import fun.ai.studio.deploy.security.ClientAddressResolver;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Audits the admin mutations that passed authentication, whatever their outcome: the request as sent and
 * the envelope that answered it. Runs after the access filter and the body-size limit, so the body it reads
 * again is the one already held in memory.
 */
public class AdminAuditFilter extends OncePerRequestFilter {

    private static final Map<String, String> ACTIONS = Map.of(
            "/admin/runtime-nodes/upsert", "upsert",
            "/admin/runtime-nodes/set-enabled", "set-enabled",
            "/admin/runtime-nodes/reassign", "reassign",
            "/admin/runtime-nodes/drain", "drain");

    private final AuditService audit;
    private final ClientAddressResolver clients;
    private final JsonMapper json;

    public AdminAuditFilter(AuditService audit, ClientAddressResolver clients, JsonMapper json) {
        this.audit = audit;
        this.clients = clients;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !ACTIONS.containsKey(request.getServletPath());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingResponseWrapper answer = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(request, answer);
        } finally {
            String asked = (request.getQueryString() == null ? "" : "?" + request.getQueryString() + " ")
                    + new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            audit.record(clients.clientAddress(request), ACTIONS.get(request.getServletPath()), asked.trim(),
                    answer.getStatus(), outcome(answer.getContentAsByteArray()));
            answer.copyBodyToResponse();
        }
    }

    private String outcome(byte[] body) {
        try {
            JsonNode envelope = json.readTree(body);
            JsonNode data = envelope.path("data");
            String message = envelope.path("message").asString("");
            return data.isNull() || data.isMissingNode() ? message : message + " " + data;
        } catch (RuntimeException e) {
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}
