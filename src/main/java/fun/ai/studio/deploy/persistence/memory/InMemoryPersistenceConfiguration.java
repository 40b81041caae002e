package fun.ai.studio.deploy.persistence.memory;

import fun.ai.studio.deploy.apprun.AppRunRepository;
import fun.ai.studio.deploy.audit.AuditRepository;
import fun.ai.studio.deploy.audit.InMemoryAuditRepository;
import fun.ai.studio.deploy.config.ChangesProperties;
import fun.ai.studio.deploy.node.RuntimeNodeRepository;
import fun.ai.studio.deploy.placement.NodeConditionRepository;
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

    /** The change log in memory is a ring of the newest {@code deploy.changes.memory-entries} entries. */
    @Bean
    InMemoryChangeLog changeLog(ChangesProperties changes) {
        return new InMemoryChangeLog(changes.memoryEntries());
    }

    @Bean
    RuntimeNodeRepository runtimeNodeRepository(InMemoryChangeLog changes) {
        return new InMemoryRuntimeNodeRepository(changes);
    }

    @Bean
    PlacementRepository placementRepository(InMemoryChangeLog changes) {
        return new InMemoryPlacementRepository(changes);
    }

    @Bean
    AppRunRepository appRunRepository(InMemoryChangeLog changes) {
        return new InMemoryAppRunRepository(changes);
    }

    @Bean
    NodeConditionRepository nodeConditionRepository(InMemoryChangeLog changes) {
        return new InMemoryNodeConditionRepository(changes);
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
