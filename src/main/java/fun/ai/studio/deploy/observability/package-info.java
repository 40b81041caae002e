/**
 * Counters and gauges, the fleet's health and this instance's leadership for Actuator, and the heartbeat counter
 * filter; listens to PlacementChanged and implements EnsureOutcomes. Uses the features it measures, settings and
 * the shared kernel.
 */
@ApplicationModule(displayName = "Observability", allowedDependencies = {"node", "placement", "config", "shared"})
package fun.ai.studio.deploy.observability;

import org.springframework.modulith.ApplicationModule;
