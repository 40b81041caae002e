package fun.ai.studio.deploy.web;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

import java.util.ArrayList;
import java.util.List;

/**
 * With {@code management.server.port} set, Actuator runs in a child context with a server of its own, which the
 * main context's filters do not reach. This registers this service's filters there too, in the same order, so the
 * management port asks for the same tokens and answers with the same headers and envelope as the main port.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
class ManagementPortFilters {

    private static final String OWN_PACKAGE = "fun.ai.studio.deploy.";

    @Bean
    ServletContextInitializer deployFiltersOnTheManagementPort(ApplicationContext managementContext) {
        List<FilterRegistrationBean<?>> ours = new ArrayList<>();
        for (FilterRegistrationBean<?> registration : managementContext.getParent()
                .getBeansOfType(FilterRegistrationBean.class).values()) {
            if (registration.getFilter().getClass().getName().startsWith(OWN_PACKAGE)) {
                ours.add(registration);
            }
        }
        ours.sort(AnnotationAwareOrderComparator.INSTANCE);
        return servletContext -> {
            for (FilterRegistrationBean<?> registration : ours) {
                registration.onStartup(servletContext);
            }
        };
    }
}
