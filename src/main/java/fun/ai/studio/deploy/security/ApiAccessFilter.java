package fun.ai.studio.deploy.security;

import fun.ai.studio.deploy.shared.EndpointGroup;
import fun.ai.studio.deploy.config.AdminProperties;
import fun.ai.studio.deploy.config.InternalApiProperties;
import fun.ai.studio.deploy.config.RegistryProperties;
import fun.ai.studio.deploy.observability.DeployMetrics;
import fun.ai.studio.deploy.shared.EnvelopeWriter;
import fun.ai.studio.deploy.shared.LogSafe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import lombok.extern.slf4j.Slf4j;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Guards each endpoint group, in the contract's order: a switched-off group answers 404, a source address
 * outside the group's allow-list 403 (before any token is looked at), a missing or wrong token 401. Under per-node
 * auth a heartbeat's token is only required here; {@code RuntimeNodeService} checks it against the node it names.
 */
@Slf4j
public class ApiAccessFilter extends OncePerRequestFilter {

    private final Map<EndpointGroup, Boolean> enabled = new EnumMap<>(EndpointGroup.class);
    private final Map<EndpointGroup, IpAllowList> allowLists = new EnumMap<>(EndpointGroup.class);
    private final ApiSecrets secrets;
    private final ClientAddressResolver clientAddresses;
    private final EnvelopeWriter envelope;
    private final DeployMetrics metrics;

    public ApiAccessFilter(AdminProperties admin, RegistryProperties registry, InternalApiProperties internal,
                           ApiSecrets secrets, ClientAddressResolver clientAddresses, EnvelopeWriter envelope,
                           DeployMetrics metrics) {
        this.secrets = secrets;
        this.clientAddresses = clientAddresses;
        this.envelope = envelope;
        this.metrics = metrics;
        register(EndpointGroup.ADMIN, admin.enabled(), admin.allowedIps());
        register(EndpointGroup.RUNTIME_NODE_REGISTRY, registry.enabled(), registry.allowedIps());
        register(EndpointGroup.INTERNAL_API, internal.enabled(), internal.allowedIps());
    }

    private void register(EndpointGroup group, boolean on, List<String> allowedIps) {
        enabled.put(group, on);
        allowLists.put(group, IpAllowList.parse(allowedIps, group.allowedIpsProperty()));
    }

    /**
     * The groups a request's path falls in, read two ways: as sent (decoded segment by segment, which is
     * how Spring MVC matches handlers) and normalised by the container ({@code /a/%2e%2e} becomes {@code /}).
     * A request is guarded if either view falls in a group, so no encoding trick skips a group's checks.
     */
    private record PathGroups(EndpointGroup asSent, EndpointGroup normalised) {

        static PathGroups of(HttpServletRequest request, String servletPath) {
            String raw = request.getRequestURI().substring(request.getContextPath().length());
            String decoded = UriUtils.decode(raw, StandardCharsets.UTF_8).replaceAll("/{2,}", "/");
            return new PathGroups(EndpointGroup.of(request.getMethod(), decoded),
                    EndpointGroup.of(request.getMethod(), servletPath));
        }

        /** Naming two groups at once can only be an attempt to carry one group's token into the other. */
        boolean ambiguous() {
            return asSent != null && normalised != null && asSent != normalised;
        }

        EndpointGroup group() {
            return asSent != null ? asSent : normalised;
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        PathGroups groups = PathGroups.of(request, path);
        if (groups.ambiguous()) {
            envelope.writeError(response, 400, "the request path is ambiguous; send it without dot segments or encoded separators");
            return;
        }
        EndpointGroup group = groups.group();
        if (group == null) {
            chain.doFilter(request, response);
            return;
        }
        if (!enabled.get(group)) {
            envelope.writeError(response, 404, "no endpoint at " + path + " (the " + group.label() + " is switched off)");
            return;
        }
        String client = clientAddresses.clientAddress(request);
        if (!allowLists.get(group).allows(client)) {
            metrics.authenticationFailed(group, "forbidden");
            log.warn("refused {} {} from {}: not in {}", LogSafe.of(request.getMethod()), LogSafe.of(path),
                    LogSafe.of(client), group.allowedIpsProperty());
            envelope.writeError(response, 403, "source address " + client + " is not allowed to call the "
                    + group.label() + " (see " + group.allowedIpsProperty() + ")");
            return;
        }
        String token = request.getHeader(group.header());
        if (token == null || token.isEmpty()) {
            metrics.authenticationFailed(group, "missing_token");
            envelope.writeError(response, 401, "missing " + group.header() + " header");
            return;
        }
        boolean checkedByHeartbeat = group == EndpointGroup.RUNTIME_NODE_REGISTRY && secrets.perNode();
        if (!checkedByHeartbeat && !secrets.matches(group, token)) {
            metrics.authenticationFailed(group, "wrong_token");
            log.warn("refused {} {} from {}: wrong {}", LogSafe.of(request.getMethod()), LogSafe.of(path),
                    LogSafe.of(client), group.header());
            envelope.writeError(response, 401, "wrong " + group.header());
            return;
        }
        chain.doFilter(request, response);
    }
}
