package fun.ai.studio.deploy.web.api;

import fun.ai.studio.deploy.shared.Route;

import fun.ai.studio.deploy.audit.AuditService;
import fun.ai.studio.deploy.security.ClientAddressResolver;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingRequestWrapper;
import org.springframework.web.util.ContentCachingResponseWrapper;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Map;

/**
 * Audits the admin mutations, and the hand-out of node tokens, that passed authentication, whatever their outcome:
 * the request as sent and the envelope that answered it. Runs after the access filter and before the body-size
 * limit, so a body refused as too large is audited too; it keeps only the first {@value #BODY_KEPT_BYTES} bytes of
 * whatever body the later filters read, never reading one itself.
 */
public class AdminAuditFilter extends OncePerRequestFilter {

    /** Enough bytes for the {@value AuditService#MAX_TEXT} characters an entry keeps, in any UTF-8. */
    static final int BODY_KEPT_BYTES = 4 * AuditService.MAX_TEXT;

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
        Route route = Route.of(request.getMethod(), request.getServletPath());
        return route == null || route.auditAction() == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        KeptBodyRequest question = new KeptBodyRequest(request);
        ContentCachingResponseWrapper answer = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(question, answer);
        } finally {
            String asked = (request.getQueryString() == null ? "" : "?" + request.getQueryString() + " ")
                    + body(question);
            Route route = Route.of(request.getMethod(), request.getServletPath());
            try {
                audit.record(clients.clientAddress(request), route.auditAction(), asked.trim(), answer.getStatus(),
                        outcome(answer.getContentAsByteArray(), route.auditKeepsData()));
            } finally {
                // Whatever happens to the audit, the caller gets the answer the endpoint gave.
                answer.copyBodyToResponse();
            }
        }
    }

    /** The body as far as it was read; a body refused unread (too large by its Content-Length) only by its size. */
    private static String body(KeptBodyRequest request) {
        byte[] read = request.getContentAsByteArray();
        long declared = request.getContentLengthLong();
        return read.length == 0 && declared > 0 ? "(body of " + declared + " bytes, not read)"
                : new String(read, StandardCharsets.UTF_8);
    }

    /**
     * Keeps the first bytes of the body as later filters read it. Parameters come straight from the request:
     * the parent class would copy the parameters of a form post into the kept body, and an empty form with
     * query parameters would then be audited as if its query had been sent twice.
     */
    private static final class KeptBodyRequest extends ContentCachingRequestWrapper {

        KeptBodyRequest(HttpServletRequest request) {
            super(request, BODY_KEPT_BYTES);
        }

        @Override
        public String getParameter(String name) {
            return getRequest().getParameter(name);
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return getRequest().getParameterMap();
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return getRequest().getParameterNames();
        }

        @Override
        public String[] getParameterValues(String name) {
            return getRequest().getParameterValues(name);
        }
    }

    private String outcome(byte[] body, boolean keepsData) {
        try {
            JsonNode envelope = json.readTree(body);
            JsonNode data = envelope.path("data");
            String message = envelope.path("message").asString("");
            return !keepsData || data.isNull() || data.isMissingNode() ? message : message + " " + data;
        } catch (RuntimeException e) {
            return keepsData ? new String(body, StandardCharsets.UTF_8) : "(answer not kept)";
        }
    }
}
