package fun.ai.studio.deploy.shared;

import jakarta.servlet.Filter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;

/**
 * The order of this service's servlet filters, first to last; each module registers its own filters at these
 * places. At the edge first: the response headers every answer carries, the check of query strings and
 * Content-Types, and hiding the forwarding headers of callers that are not trusted proxies. Then access control,
 * so an unauthenticated caller never gets its body read; then the heartbeat counter, the overload bound on write
 * calls and the audit of admin mutations, so they see every authenticated call, the size limit's refusals
 * included; the size limit last.
 */
public final class FilterOrder {

    public static final int RESPONSE_HEADERS = Ordered.HIGHEST_PRECEDENCE;
    public static final int MALFORMED_REQUEST = RESPONSE_HEADERS + 2;
    public static final int UNTRUSTED_FORWARDING = RESPONSE_HEADERS + 3;
    public static final int API_ACCESS = RESPONSE_HEADERS + 10;
    public static final int ADMIN_PRINCIPAL = RESPONSE_HEADERS + 11;
    public static final int HEARTBEAT_METRICS = RESPONSE_HEADERS + 12;
    public static final int OVERLOAD_SHEDDING = RESPONSE_HEADERS + 13;
    public static final int ADMIN_AUDIT = RESPONSE_HEADERS + 15;
    public static final int BODY_SIZE_LIMIT = RESPONSE_HEADERS + 20;

    private FilterOrder() {
    }

    /** The filter, registered for every request at {@code order}. */
    public static <F extends Filter> FilterRegistrationBean<F> register(F filter, int order) {
        FilterRegistrationBean<F> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(order);
        return registration;
    }
}
