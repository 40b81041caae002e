package fun.ai.studio.deploy.security;

import fun.ai.studio.deploy.config.SecurityProperties;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressResolverTest {

    private static ClientAddressResolver trusting(String... proxies) {
        return new ClientAddressResolver(new SecurityProperties(List.of(proxies)));
    }

    private static MockHttpServletRequest from(String peer, String... forwardedFor) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/admin/runtime-nodes/list");
        request.setRemoteAddr(peer);
        for (String header : forwardedFor) {
            request.addHeader("X-Forwarded-For", header);
        }
        return request;
    }

    @Test
    void withoutTrustedProxiesTheClientIsThePeerWhateverTheHeaderSays() {
        assertThat(trusting().clientAddress(from("203.0.113.9", "10.0.0.1"))).isEqualTo("203.0.113.9");
    }

    @Test
    void forwardedForFromAPeerOutsideTheTrustedProxiesIsIgnored() {
        ClientAddressResolver resolver = trusting("10.9.0.0/16");

        assertThat(resolver.clientAddress(from("198.51.100.1", "10.0.0.1"))).isEqualTo("198.51.100.1");
    }

    @Test
    void trustedPeerWithoutForwardedForIsItselfTheClient() {
        assertThat(trusting("10.9.0.0/16").clientAddress(from("10.9.0.1"))).isEqualTo("10.9.0.1");
    }

    @Test
    void singleHopBehindATrustedProxyIsTheClient() {
        assertThat(trusting("10.9.0.0/16").clientAddress(from("10.9.0.1", "203.0.113.9"))).isEqualTo("203.0.113.9");
    }

    @Test
    void rightMostHopThatIsNotATrustedProxyIsTheClientAndEarlierHopsAreIgnored() {
        ClientAddressResolver resolver = trusting("10.9.0.0/16", "192.0.2.10");

        // 198.51.100.66 was written by the client itself; 192.0.2.10 and 10.9.0.2 are our proxies.
        String client = resolver.clientAddress(from("10.9.0.1", "198.51.100.66, 203.0.113.9, 192.0.2.10, 10.9.0.2"));

        assertThat(client).isEqualTo("203.0.113.9");
    }

    @Test
    void severalHeadersAreOneListInArrivalOrder() {
        ClientAddressResolver resolver = trusting("10.9.0.0/16");

        assertThat(resolver.clientAddress(from("10.9.0.1", "203.0.113.9", "10.9.0.7"))).isEqualTo("203.0.113.9");
        assertThat(resolver.clientAddress(from("10.9.0.1", "10.9.0.7", "203.0.113.9"))).isEqualTo("203.0.113.9");
        assertThat(resolver.clientAddress(from("10.9.0.1", "198.51.100.1", "203.0.113.9, 10.9.0.7"))).isEqualTo("203.0.113.9");
    }

    @Test
    void whenEveryHopIsATrustedProxyTheLeftMostIsTheClient() {
        assertThat(trusting("10.9.0.0/16").clientAddress(from("10.9.0.1", "10.9.0.5, 10.9.0.6"))).isEqualTo("10.9.0.5");
    }

    @Test
    void blankEntriesAndSpacesAreSkipped() {
        assertThat(trusting("10.9.0.0/16").clientAddress(from("10.9.0.1", " 203.0.113.9 , , ")))
                .isEqualTo("203.0.113.9");
    }

    @Test
    void aHopThatIsNotAnAddressIsTheClientSoNoAllowListWillMatchIt() {
        ClientAddressResolver resolver = trusting("10.9.0.0/16");

        String client = resolver.clientAddress(from("10.9.0.1", "203.0.113.9, unknown"));

        assertThat(client).isEqualTo("unknown");
        assertThat(IpAllowList.parse(List.of("0.0.0.0/0", "::/0"), "any").allows(client)).isFalse();
    }

    @Test
    void ipv6ProxiesAndClientsAreResolvedLikeIpv4() {
        ClientAddressResolver resolver = trusting("::1/128", "fd00::/8");

        assertThat(resolver.clientAddress(from("::1", "2001:db8::42, fd00::3"))).isEqualTo("2001:db8::42");
        assertThat(resolver.clientAddress(from("0:0:0:0:0:0:0:1", "2001:db8::42"))).isEqualTo("2001:db8::42");
    }

    @Test
    void invalidTrustedProxyIsRejectedNamingTheProperty() {
        assertThatThrownBy(() -> trusting("10.9.0.0/16", "proxy.internal"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deploy.security.trusted-proxies holds 'proxy.internal', which is not an IP address or CIDR range");
    }
}
