package fun.ai.studio.deploy.node;

import fun.ai.studio.deploy.config.RegistryProperties;
import fun.ai.studio.deploy.persistence.memory.InMemoryPlacementRepository;
import fun.ai.studio.deploy.persistence.memory.InMemoryRuntimeNodeRepository;
import fun.ai.studio.deploy.support.MutableClock;
import fun.ai.studio.deploy.support.RegistrySettings;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A node's count is reused for page totals and heartbeat answers until a local change or five seconds. */
class RecentCountTest {

    private static final RegistryProperties REGISTRY = RegistrySettings.defaults(true, 60);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T03:12:31.123Z"));
    private final InMemoryPlacementRepository placements = new InMemoryPlacementRepository();
    private final NodeHealthPolicy health = new NodeHealthPolicy(clock, REGISTRY);
    private final RuntimeNodeService nodes = new RuntimeNodeService(new InMemoryRuntimeNodeRepository(), placements,
            health, clock, new NodeListCache(JsonMapper.builder().build(), clock, health), REGISTRY,
            RegistrySettings.audit(clock));

    @Test
    void aCountIsReusedUntilItIsFiveSecondsOld() {
        placements.assign("app-1", 7, 0);
        assertThat(nodes.recentCount(7)).isEqualTo(1);

        // Written behind the service's back, as another instance on the same database would.
        placements.assign("app-2", 7, 0);
        clock.advance(Duration.ofMillis(RuntimeNodeService.RECENT_COUNT_MAX_AGE_MS - 1));
        assertThat(nodes.recentCount(7)).isEqualTo(1);

        clock.advance(Duration.ofMillis(1));
        assertThat(nodes.recentCount(7)).isEqualTo(2);
    }

    @Test
    void aPlacementChangeOnThisInstanceIsCountedAtOnce() {
        assertThat(nodes.recentCount(7)).isZero();
        placements.assign("app-1", 7, 0);

        nodes.placementsChanged();

        assertThat(nodes.recentCount(7)).isEqualTo(1);
    }
}
