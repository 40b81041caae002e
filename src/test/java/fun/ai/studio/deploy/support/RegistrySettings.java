package fun.ai.studio.deploy.support;

import fun.ai.studio.deploy.audit.AuditService;
import fun.ai.studio.deploy.audit.InMemoryAuditRepository;
import fun.ai.studio.deploy.config.RegistryProperties;
import fun.ai.studio.deploy.config.RegistryProperties.NodeAuth;
import fun.ai.studio.deploy.config.RegistryProperties.Registration;

import java.time.Clock;
import java.util.List;

/** Registry settings and collaborators for tests that build the node service by hand. */
public final class RegistrySettings {

    private RegistrySettings() {
    }

    /** The defaults (shared secret, open registration, 10,000 nodes) with the given switch and stale limit. */
    public static RegistryProperties defaults(boolean enabled, int heartbeatStaleSeconds) {
        return new RegistryProperties(enabled, "test-node-secret-0123456789abcdef", List.of(), heartbeatStaleSeconds,
                NodeAuth.SHARED, null, null, Registration.OPEN, NewNodes.MAX);
    }

    /** An audit trail in memory, as the in-memory mode keeps it. */
    public static AuditService audit(Clock clock) {
        return new AuditService(new InMemoryAuditRepository(1_000), clock);
    }
}
