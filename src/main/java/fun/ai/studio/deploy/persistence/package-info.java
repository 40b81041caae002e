/**
 * The stores of every feature, in memory or in MySQL (JPA, Flyway, the database bounds and breaker), chosen by
 * deploy.runtime.persistence.enabled, and the leader election among instances sharing a database (Leadership).
 * Implements the features' repository interfaces; no feature depends on it.
 */
@ApplicationModule(displayName = "Persistence",
        allowedDependencies = {"node", "placement", "apprun", "audit", "changes", "config", "shared"})
package fun.ai.studio.deploy.persistence;

import org.springframework.modulith.ApplicationModule;
