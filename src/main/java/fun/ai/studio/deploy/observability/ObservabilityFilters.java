package fun.ai.studio.deploy.observability;

import fun.ai.studio.deploy.shared.FilterOrder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** This module's filter at its place in {@link FilterOrder}. */
@Configuration(proxyBeanMethods = false)
class ObservabilityFilters {

    @Bean
    FilterRegistrationBean<HeartbeatMetricsFilter> heartbeatMetricsFilter(DeployMetrics metrics) {
        return FilterOrder.register(new HeartbeatMetricsFilter(metrics), FilterOrder.HEARTBEAT_METRICS);
    }
}
