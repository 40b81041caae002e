package fun.ai.studio.deploy.persistence;

import fun.ai.studio.deploy.audit.AuditEntry;
import fun.ai.studio.deploy.audit.InMemoryAuditRepository;
import fun.ai.studio.deploy.persistence.memory.InMemoryAppRunRepository;
import fun.ai.studio.deploy.persistence.memory.InMemoryChangeLog;
import fun.ai.studio.deploy.persistence.memory.InMemoryNodeConditionRepository;
import fun.ai.studio.deploy.persistence.memory.InMemoryPlacementRepository;
import fun.ai.studio.deploy.persistence.memory.InMemoryRuntimeNodeRepository;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryRepositoryContractTest extends RepositoryContractTest {

    // As InMemoryPersistenceConfiguration keeps; every contract case stores fewer.
    private static final int AUDIT_ENTRIES_KEPT = 1_000;
    private static final int CHANGES_KEPT = 100_000;

    @Override
    protected Repositories emptyRepositories() {
        InMemoryChangeLog changes = new InMemoryChangeLog(CHANGES_KEPT);
        return new Repositories(new InMemoryRuntimeNodeRepository(changes), new InMemoryPlacementRepository(changes),
                new InMemoryAppRunRepository(changes), new InMemoryAuditRepository(AUDIT_ENTRIES_KEPT), changes,
                new InMemoryNodeConditionRepository(changes));
    }

    @Test
    void theInMemoryTrailKeepsTheNewestEntriesUpToItsCapacityAndPagesThemAsBefore() {
        InMemoryAuditRepository small = new InMemoryAuditRepository(3);
        List<AuditEntry> appended = IntStream.range(0, 5)
                .mapToObj(i -> small.append(new AuditEntry(0, i, "10.0.0.1", "upsert", "rt-" + i, 200, "ok")))
                .toList();

        assertThat(appended).extracting(AuditEntry::id).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(small.findBefore(null, 10)).containsExactly(appended.get(4), appended.get(3), appended.get(2));
        assertThat(small.findBefore(appended.get(3).id(), 10)).containsExactly(appended.get(2));
        assertThat(small.findBefore(appended.get(2).id(), 10)).as("dropped, not found").isEmpty();
    }
}
