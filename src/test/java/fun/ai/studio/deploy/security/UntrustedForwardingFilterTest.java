package fun.ai.studio.deploy.security;

import fun.ai.studio.deploy.config.SecurityProperties;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UntrustedForwardingFilterTest {

    private final UntrustedForwardingFilter filter = new UntrustedForwardingFilter(
            new ClientAddressResolver(new SecurityProperties(List.of("10.9.0.0/16"))));

    private static MockHttpServletRequest requestFrom(String peer) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v3/api-docs");
        request.setRemoteAddr(peer);
        request.addHeader("Forwarded", "for=10.2.0.7;host=evil.example");
        request.addHeader("X-Forwarded-For", "10.2.0.7");
        request.addHeader("x-forwarded-host", "evil.example");
        request.addHeader("X-Forwarded-Port", "8443");
        request.addHeader("X-Forwarded-Date", "Thu, 01 Jan 1970 00:00:00 GMT");
        request.addHeader("X-Real-IP", "10.2.0.7");
        request.addHeader("X-Admin-Token", "kept");
        request.addHeader("X-Forwardedness", "kept too: not a forwarding header");
        return request;
    }

    private HttpServletRequest passedOn(MockHttpServletRequest request) throws Exception {
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, new MockHttpServletResponse(), chain);
        return (HttpServletRequest) chain.getRequest();
    }

    @Test
    void fromAnUntrustedPeerNoForwardingHeaderCanBeReadAnyWay() throws Exception {
        HttpServletRequest seen = passedOn(requestFrom("127.0.0.1"));

        for (String name : List.of("Forwarded", "FORWARDED", "X-Forwarded-For", "X-Forwarded-Host", "x-forwarded-port",
                "X-Real-IP", "x-real-ip")) {
            assertThat(seen.getHeader(name)).as(name).isNull();
            assertThat(Collections.list(seen.getHeaders(name))).as(name).isEmpty();
        }
        assertThat(seen.getIntHeader("X-Forwarded-Port")).isEqualTo(-1);
        assertThat(seen.getDateHeader("X-Forwarded-Date")).isEqualTo(-1);
        assertThat(Collections.list(seen.getHeaderNames())).containsExactlyInAnyOrder("X-Admin-Token", "X-Forwardedness");
        assertThat(seen.getHeader("X-Admin-Token")).isEqualTo("kept");
    }

    @Test
    void fromATrustedProxyTheRequestPassesUntouched() throws Exception {
        MockHttpServletRequest request = requestFrom("10.9.3.4");

        HttpServletRequest seen = passedOn(request);

        assertThat(seen).isSameAs(request);
        assertThat(seen.getHeader("X-Forwarded-Host")).isEqualTo("evil.example");
        assertThat(seen.getIntHeader("X-Forwarded-Port")).isEqualTo(8443);
    }
}
