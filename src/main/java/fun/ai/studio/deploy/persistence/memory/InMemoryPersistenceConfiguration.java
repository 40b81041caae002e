package fun.ai.studio.deploy.persistence.memory;

import fun.ai.studio.deploy.apprun.AppRunRepository;
import fun.ai.studio.deploy.audit.AuditRepository;
import fun.ai.studio.deploy.audit.InMemoryAuditRepository;
import fun.ai.studio.deploy.node.RuntimeNodeRepository;
import fun.ai.studio.deploy.placement.PlacementRepository;
import fun.ai.studio.deploy.shared.Leadership;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The default: state in this process's memory, lost on restart, not shared between instances. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "deploy.runtime.persistence.enabled", havingValue = "false", matchIfMissing = true)
class InMemoryPersistenceConfiguration {

    /** The audit trail in memory is a ring of the most recent entries, so it cannot grow without bound. */
    static final int AUDIT_ENTRIES_KEPT = 1_000;

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

    @Bean
    AuditRepository auditRepository() {
        return new InMemoryAuditRepository(AUDIT_ENTRIES_KEPT);
    }

    /** Alone with its state, this instance is the only one there is. */
    @Bean
    Leadership instanceLeadership() {
        return () -> true;
    }
}
