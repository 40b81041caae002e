package fun.ai.studio.deploy.web;

import fun.ai.studio.deploy.shared.FilterOrder;

import fun.ai.studio.deploy.shared.EnvelopeWriter;
import fun.ai.studio.deploy.web.api.AdminAuditFilter;
import fun.ai.studio.deploy.audit.AuditService;
import fun.ai.studio.deploy.config.OverloadProperties;
import fun.ai.studio.deploy.security.ClientAddressResolver;
import io.micrometer.core.instrument.MeterRegistry;
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

/** The web edge's own filters, at their places in {@link FilterOrder}, and the envelope for Tomcat's own errors. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

    static final int SOCKET_BUFFER_BYTES = 4_096;

    @Bean
    FilterRegistrationBean<ResponseHeadersFilter> responseHeadersFilter() {
        FilterRegistrationBean<ResponseHeadersFilter> registration = FilterOrder.register(new ResponseHeadersFilter(), FilterOrder.RESPONSE_HEADERS);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
        return registration;
    }

    @Bean
    FilterRegistrationBean<MalformedRequestFilter> malformedRequestFilter(EnvelopeWriter envelope) {
        return FilterOrder.register(new MalformedRequestFilter(envelope), FilterOrder.MALFORMED_REQUEST);
    }

    /** Without a limit ({@code deploy.overload.max-concurrent=0}) the filter is not registered at all. */
    @Bean
    FilterRegistrationBean<OverloadSheddingFilter> overloadSheddingFilter(OverloadProperties overload,
                                                                          EnvelopeWriter envelope,
                                                                          MeterRegistry meters) {
        FilterRegistrationBean<OverloadSheddingFilter> registration =
                FilterOrder.register(new OverloadSheddingFilter(overload, envelope, meters), FilterOrder.OVERLOAD_SHEDDING);
        registration.setEnabled(overload.maxConcurrent() > 0);
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

    /**
     * Half of Tomcat's default 8 KB socket buffers: each open connection holds its own, a waiting change-feed watch
     * included (about 100 KB of heap each in all), while the calls this service answers fit in 4 KB several times
     * over and a larger answer just takes more writes.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> smallerSocketBuffers() {
        return factory -> factory.addConnectorCustomizers(connector -> {
            connector.setProperty("socket.appReadBufSize", String.valueOf(SOCKET_BUFFER_BYTES));
            connector.setProperty("socket.appWriteBufSize", String.valueOf(SOCKET_BUFFER_BYTES));
        });
    }

    @Bean
    FilterRegistrationBean<AdminAuditFilter> adminAuditFilter(AuditService audit, ClientAddressResolver clients,
                                                              JsonMapper json) {
        return FilterOrder.register(new AdminAuditFilter(audit, clients, json), FilterOrder.ADMIN_AUDIT);
    }

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(EnvelopeWriter envelope) {
        return FilterOrder.register(new BodySizeLimitFilter(envelope), FilterOrder.BODY_SIZE_LIMIT);
    }

}
