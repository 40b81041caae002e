/**
 * Sticky app placement: ensure, reassign, drain, failover on ensure and the failover reconciler (on the leading
 * instance only) by the configured strategy; records nodes' health and fit flips through its NodeConditionRepository
 * port (also on the leading instance only); publishes PlacementChanged, provides the node registry's
 * PlacementCounts and reports ensure outcomes through its EnsureOutcomes port. Uses the node registry, settings and
 * the shared kernel.
 */
@ApplicationModule(displayName = "Placement", allowedDependencies = {"node", "config", "shared"})
package fun.ai.studio.deploy.placement;

import org.springframework.modulith.ApplicationModule;
