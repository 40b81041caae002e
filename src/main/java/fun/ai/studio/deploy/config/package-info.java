/**
 * The service's settings, bound and checked at start, and the clock. Uses no other module.
 */
@ApplicationModule(displayName = "Settings", allowedDependencies = {})
package fun.ai.studio.deploy.config;

import org.springframework.modulith.ApplicationModule;
