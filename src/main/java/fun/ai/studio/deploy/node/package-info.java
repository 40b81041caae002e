/**
 * Heartbeats, operators' node changes, judged health and the nodes that may take apps; publishes NodeChanged.
 * Counts of placements come through its PlacementCounts port, so it knows nothing of placements. Uses the audit
 * trail, settings and the shared kernel.
 */
@ApplicationModule(displayName = "Node registry", allowedDependencies = {"audit", "config", "shared"})
package fun.ai.studio.deploy.node;

import org.springframework.modulith.ApplicationModule;
