/**
 * What every module speaks: the envelope, identifiers and URLs of the contract, the domain's refusals, the routes
 * and their filter order, the change events, whether this instance leads, and log-safe text. Promises types without
 * behaviour beyond checking and formatting; uses no other module.
 */
@ApplicationModule(displayName = "Shared kernel", allowedDependencies = {})
package fun.ai.studio.deploy.shared;

import org.springframework.modulith.ApplicationModule;
