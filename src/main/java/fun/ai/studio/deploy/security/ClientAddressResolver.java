package fun.ai.studio.deploy.security;

import fun.ai.studio.deploy.config.SecurityProperties;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Finds the client address of a request: the TCP peer, unless the peer is a trusted proxy, in which case
 * the right-most {@code X-Forwarded-For} entry that is not itself a trusted proxy.
 */
@Component
public class ClientAddressResolver {

    private final IpAllowList trustedProxies;

    public ClientAddressResolver(SecurityProperties properties) {
        this.trustedProxies = IpAllowList.parse(properties.trustedProxies(), "deploy.security.trusted-proxies");
    }

    /** True when the address is inside {@code deploy.security.trusted-proxies}, which is empty by default. */
    public boolean isTrustedProxy(String address) {
        return trustedProxies.contains(address);
    }

    public String clientAddress(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        if (!isTrustedProxy(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : Collections.list(request.getHeaders("X-Forwarded-For"))) {
            for (String hop : header.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.trim());
                }
            }
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            client = hops.get(i);
            if (!trustedProxies.contains(client)) {
                return client;
            }
        }
        // Every hop is a trusted proxy: the left-most is the closest thing to a client there is.
        return client;
    }
}
