/**
 * Records operators' mutations and node events, keeps the newest in a bounded store and answers pages of them. Uses
 * the shared kernel only.
 */
@ApplicationModule(displayName = "Audit trail", allowedDependencies = {"shared"})
package fun.ai.studio.deploy.audit;

import org.springframework.modulith.ApplicationModule;
