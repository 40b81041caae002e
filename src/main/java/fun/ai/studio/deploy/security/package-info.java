/**
 * Tokens, per-node identity, allow-lists, trusted proxies and the access filters, registered at their places in
 * FilterOrder. Uses metrics (to count refusals), settings and the shared kernel.
 */
@ApplicationModule(displayName = "Access control", allowedDependencies = {"observability", "config", "shared"})
package fun.ai.studio.deploy.security;

import org.springframework.modulith.ApplicationModule;
