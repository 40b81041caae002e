package fun.ai.studio.deploy.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;

/**
 * Hides the forwarding headers ({@code Forwarded}, {@code X-Forwarded-*}, {@code X-Real-IP}) of every request
 * whose TCP peer is not a trusted proxy, so that nothing after it (springdoc's generated URLs, redirects, any
 * library that reads them) can believe or echo what an arbitrary caller wrote there. From a trusted proxy they
 * pass unchanged.
 */
class UntrustedForwardingFilter extends OncePerRequestFilter {

    private final ClientAddressResolver clients;

    UntrustedForwardingFilter(ClientAddressResolver clients) {
        this.clients = clients;
    }

    private static boolean isForwardingHeader(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.equals("forwarded") || lower.startsWith("x-forwarded-") || lower.equals("x-real-ip");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(clients.isTrustedProxy(request.getRemoteAddr()) ? request : new WithoutForwarding(request), response);
    }

    private static final class WithoutForwarding extends HttpServletRequestWrapper {

        WithoutForwarding(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getHeader(String name) {
            return isForwardingHeader(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return isForwardingHeader(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(name -> !isForwardingHeader(name)).toList());
        }

        @Override
        public long getDateHeader(String name) {
            return isForwardingHeader(name) ? -1 : super.getDateHeader(name);
        }

        @Override
        public int getIntHeader(String name) {
            return isForwardingHeader(name) ? -1 : super.getIntHeader(name);
        }
    }
}
