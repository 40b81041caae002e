/**
 * The change feed: every committed change of nodes, placements and app reports as an entry with a revision that
 * follows commit order, read in pages and watched by long polls that hold no servlet thread. The stores write the
 * entries (persistence implements ChangeLog); this module reads, waits and trims. Uses settings and the shared
 * kernel.
 */
@ApplicationModule(displayName = "Change feed", allowedDependencies = {"config", "shared"})
package fun.ai.studio.deploy.changes;

import org.springframework.modulith.ApplicationModule;
