package fun.ai.studio.deploy.persistence.memory;

import fun.ai.studio.deploy.apprun.AppRunRepository;
import fun.ai.studio.deploy.node.RuntimeNodeRepository;
import fun.ai.studio.deploy.placement.PlacementRepository;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The default: state in this process's memory, lost on restart, not shared between instances. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "deploy.runtime.persistence.enabled", havingValue = "false", matchIfMissing = true)
public class InMemoryPersistenceConfiguration {

    @Bean
    RuntimeNodeRepository runtimeNodeRepository() {
        return new InMemoryRuntimeNodeRepository();
    }

    @Bean
    PlacementRepository placementRepository() {
        return new InMemoryPlacementRepository();
    }

    @Bean
    AppRunRepository appRunRepository() {
        return new InMemoryAppRunRepository();
    }
}
