package fun.ai.studio.deploy.web;

import fun.ai.studio.deploy.audit.AdminAuditFilter;
import fun.ai.studio.deploy.audit.AuditService;
import fun.ai.studio.deploy.config.AdminProperties;
import fun.ai.studio.deploy.config.InternalApiProperties;
import fun.ai.studio.deploy.config.RegistryProperties;
import fun.ai.studio.deploy.observability.DeployMetrics;
import fun.ai.studio.deploy.observability.HeartbeatMetricsFilter;
import fun.ai.studio.deploy.security.AdminPrincipalFilter;
import fun.ai.studio.deploy.security.ApiAccessFilter;
import fun.ai.studio.deploy.security.ApiSecrets;
import fun.ai.studio.deploy.security.ClientAddressResolver;
import fun.ai.studio.deploy.security.UntrustedForwardingFilter;
import jakarta.servlet.DispatcherType;
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
 * unauthenticated caller never gets its body read; then the heartbeat counter and the audit of admin mutations,
 * so they see every authenticated call, the size limit's refusals included; the size limit last.
 */
@Configuration(proxyBeanMethods = false)
public class WebConfiguration {

    private final DeployMetrics metrics;

    public WebConfiguration(DeployMetrics metrics) {
        this.metrics = metrics;
    }

    @Bean
    FilterRegistrationBean<ResponseHeadersFilter> responseHeadersFilter() {
        FilterRegistrationBean<ResponseHeadersFilter> registration = new FilterRegistrationBean<>(
                new ResponseHeadersFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
        return registration;
    }

    @Bean
    FilterRegistrationBean<MalformedRequestFilter> malformedRequestFilter(EnvelopeWriter envelope) {
        FilterRegistrationBean<MalformedRequestFilter> registration = new FilterRegistrationBean<>(
                new MalformedRequestFilter(envelope));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    @Bean
    FilterRegistrationBean<UntrustedForwardingFilter> untrustedForwardingFilter(ClientAddressResolver clients) {
        FilterRegistrationBean<UntrustedForwardingFilter> registration = new FilterRegistrationBean<>(
                new UntrustedForwardingFilter(clients));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
        return registration;
    }

    @Bean
    FilterRegistrationBean<HeartbeatMetricsFilter> heartbeatMetricsFilter() {
        FilterRegistrationBean<HeartbeatMetricsFilter> registration = new FilterRegistrationBean<>(
                new HeartbeatMetricsFilter(metrics));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 12);
        return registration;
    }

    @Bean
    FilterRegistrationBean<ApiAccessFilter> apiAccessFilter(AdminProperties admin, RegistryProperties registry,
                                                            InternalApiProperties internal, ApiSecrets secrets,
                                                            ClientAddressResolver clients, EnvelopeWriter envelope) {
        FilterRegistrationBean<ApiAccessFilter> registration = new FilterRegistrationBean<>(
                new ApiAccessFilter(admin, registry, internal, secrets, clients, envelope, metrics));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    FilterRegistrationBean<AdminPrincipalFilter> adminPrincipalFilter(ApiSecrets secrets) {
        FilterRegistrationBean<AdminPrincipalFilter> registration = new FilterRegistrationBean<>(
                new AdminPrincipalFilter(secrets));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 11);
        return registration;
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
        FilterRegistrationBean<AdminAuditFilter> registration = new FilterRegistrationBean<>(
                new AdminAuditFilter(audit, clients, json));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 15);
        return registration;
    }

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(EnvelopeWriter envelope) {
        FilterRegistrationBean<BodySizeLimitFilter> registration = new FilterRegistrationBean<>(new BodySizeLimitFilter(envelope));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }
}
