package fun.ai.studio.deploy.security;

import fun.ai.studio.deploy.config.AdminProperties;
import fun.ai.studio.deploy.config.InternalApiProperties;
import fun.ai.studio.deploy.config.RegistryProperties;
import fun.ai.studio.deploy.observability.DeployMetrics;
import fun.ai.studio.deploy.shared.EnvelopeWriter;
import fun.ai.studio.deploy.shared.FilterOrder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** This module's filters at their places in {@link FilterOrder}. */
@Configuration(proxyBeanMethods = false)
class SecurityFilters {

    @Bean
    FilterRegistrationBean<UntrustedForwardingFilter> untrustedForwardingFilter(ClientAddressResolver clients) {
        return FilterOrder.register(new UntrustedForwardingFilter(clients), FilterOrder.UNTRUSTED_FORWARDING);
    }

    @Bean
    FilterRegistrationBean<ApiAccessFilter> apiAccessFilter(AdminProperties admin, RegistryProperties registry,
                                                            InternalApiProperties internal, ApiSecrets secrets,
                                                            ClientAddressResolver clients, EnvelopeWriter envelope,
                                                            DeployMetrics metrics) {
        return FilterOrder.register(new ApiAccessFilter(admin, registry, internal, secrets, clients, envelope, metrics),
                FilterOrder.API_ACCESS);
    }

    @Bean
    FilterRegistrationBean<AdminPrincipalFilter> adminPrincipalFilter(ApiSecrets secrets) {
        return FilterOrder.register(new AdminPrincipalFilter(secrets), FilterOrder.ADMIN_PRINCIPAL);
    }
}
