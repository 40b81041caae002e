/**
 * The last reported deployment result of each app and what is known about an app. Uses placements, the node
 * registry and the shared kernel.
 */
@ApplicationModule(displayName = "App runs", allowedDependencies = {"node", "placement", "shared"})
package fun.ai.studio.deploy.apprun;

import org.springframework.modulith.ApplicationModule;
