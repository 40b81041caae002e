package fun.ai.studio.deploy.web;

import fun.ai.studio.deploy.audit.AdminAuditFilter;
import fun.ai.studio.deploy.audit.AuditService;
import fun.ai.studio.deploy.config.AdminProperties;
import fun.ai.studio.deploy.config.InternalApiProperties;
import fun.ai.studio.deploy.config.OverloadProperties;
import fun.ai.studio.deploy.config.RegistryProperties;
import fun.ai.studio.deploy.observability.DeployMetrics;
import fun.ai.studio.deploy.observability.HeartbeatMetricsFilter;
import fun.ai.studio.deploy.security.AdminPrincipalFilter;
import fun.ai.studio.deploy.security.ApiAccessFilter;
import fun.ai.studio.deploy.security.ApiSecrets;
import fun.ai.studio.deploy.security.ClientAddressResolver;
import fun.ai.studio.deploy.security.UntrustedForwardingFilter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import tools.jackson.databind.json.JsonMapper;

/**
 * At the edge first: the response headers every answer carries, the check of query strings and Content-Types,
 * and hiding the forwarding headers of callers that are not trusted proxies. Then access control, so an
 * unauthenticated caller never gets its body read; then the heartbeat counter, the overload bound on write calls
 * and the audit of admin mutations, so they see every authenticated call, the size limit's refusals included;
 * the size limit last.
 */
@Configuration(proxyBeanMethods = false)
public class WebConfiguration {

    private final DeployMetrics metrics;

    public WebConfiguration(DeployMetrics metrics) {
        this.metrics = metrics;
    }

    // The filters' order, first to last.
    static final int RESPONSE_HEADERS = Ordered.HIGHEST_PRECEDENCE;
    static final int MALFORMED_REQUEST = RESPONSE_HEADERS + 2;
    static final int UNTRUSTED_FORWARDING = RESPONSE_HEADERS + 3;
    static final int API_ACCESS = RESPONSE_HEADERS + 10;
    static final int ADMIN_PRINCIPAL = RESPONSE_HEADERS + 11;
    static final int HEARTBEAT_METRICS = RESPONSE_HEADERS + 12;
    static final int OVERLOAD_SHEDDING = RESPONSE_HEADERS + 13;
    static final int ADMIN_AUDIT = RESPONSE_HEADERS + 15;
    static final int BODY_SIZE_LIMIT = RESPONSE_HEADERS + 20;

    @Bean
    FilterRegistrationBean<ResponseHeadersFilter> responseHeadersFilter() {
        FilterRegistrationBean<ResponseHeadersFilter> registration = inOrder(new ResponseHeadersFilter(), RESPONSE_HEADERS);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
        return registration;
    }

    @Bean
    FilterRegistrationBean<MalformedRequestFilter> malformedRequestFilter(EnvelopeWriter envelope) {
        return inOrder(new MalformedRequestFilter(envelope), MALFORMED_REQUEST);
    }

    @Bean
    FilterRegistrationBean<UntrustedForwardingFilter> untrustedForwardingFilter(ClientAddressResolver clients) {
        return inOrder(new UntrustedForwardingFilter(clients), UNTRUSTED_FORWARDING);
    }

    @Bean
    FilterRegistrationBean<HeartbeatMetricsFilter> heartbeatMetricsFilter() {
        return inOrder(new HeartbeatMetricsFilter(metrics), HEARTBEAT_METRICS);
    }

    /** Without a limit ({@code deploy.overload.max-concurrent=0}) the filter is not registered at all. */
    @Bean
    FilterRegistrationBean<OverloadSheddingFilter> overloadSheddingFilter(OverloadProperties overload,
                                                                          EnvelopeWriter envelope,
                                                                          MeterRegistry meters) {
        FilterRegistrationBean<OverloadSheddingFilter> registration =
                inOrder(new OverloadSheddingFilter(overload, envelope, meters), OVERLOAD_SHEDDING);
        registration.setEnabled(overload.maxConcurrent() > 0);
        return registration;
    }

    @Bean
    FilterRegistrationBean<ApiAccessFilter> apiAccessFilter(AdminProperties admin, RegistryProperties registry,
                                                            InternalApiProperties internal, ApiSecrets secrets,
                                                            ClientAddressResolver clients, EnvelopeWriter envelope) {
        return inOrder(new ApiAccessFilter(admin, registry, internal, secrets, clients, envelope, metrics), API_ACCESS);
    }

    @Bean
    FilterRegistrationBean<AdminPrincipalFilter> adminPrincipalFilter(ApiSecrets secrets) {
        return inOrder(new AdminPrincipalFilter(secrets), ADMIN_PRINCIPAL);
    }

    /**
     * Puts {@link EnvelopeErrorReportValve} in place of the HTML error report valve on Tomcat's host. Runs after
     * Boot's own customizer (which adds an {@link ErrorReportValve}), removes that one, and names ours as the
     * host's error report valve so Tomcat does not add its default back at start.
     */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> envelopeErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof Host host) {
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                if (host instanceof StandardHost standardHost) {
                    standardHost.setErrorReportValveClass(EnvelopeErrorReportValve.class.getName());
                }
            }
        });
    }

    @Bean
    FilterRegistrationBean<AdminAuditFilter> adminAuditFilter(AuditService audit, ClientAddressResolver clients,
                                                              JsonMapper json) {
        return inOrder(new AdminAuditFilter(audit, clients, json), ADMIN_AUDIT);
    }

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(EnvelopeWriter envelope) {
        return inOrder(new BodySizeLimitFilter(envelope), BODY_SIZE_LIMIT);
    }

    private static <F extends Filter> FilterRegistrationBean<F> inOrder(F filter, int order) {
        FilterRegistrationBean<F> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(order);
        return registration;
    }
}
