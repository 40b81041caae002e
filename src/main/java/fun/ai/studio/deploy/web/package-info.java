/**
 * The HTTP contract: controllers, the node-list answer cache, the envelope for every error, the edge filters and
 * the API document. Maps domain refusals to statuses in one place (GlobalExceptionHandler). Uses every feature,
 * access control and the shared kernel; nothing uses it.
 */
@ApplicationModule(displayName = "Web edge",
        allowedDependencies = {"node", "placement", "apprun", "audit", "changes", "security", "config", "shared"})
package fun.ai.studio.deploy.web;

import org.springframework.modulith.ApplicationModule;
