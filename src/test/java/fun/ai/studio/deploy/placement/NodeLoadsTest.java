package fun.ai.studio.deploy.placement;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class NodeLoadsTest {

    private final AtomicInteger reads = new AtomicInteger();
    private final NodeLoads loads = new NodeLoads(() -> {
        reads.incrementAndGet();
        return Map.of(1L, 10L, 2L, 3L);
    });

    @Test
    void addingChoicesNeverReadsTheStoredCounts() {
        for (int i = 0; i < 2000; i++) {
            loads.add(1L);
        }

        assertThat(reads).hasValue(0);
    }

    @Test
    void countsAreStoredPlusAddedAndReadOnce() {
        loads.add(1L);
        loads.add(3L);

        assertThat(loads.of(1L)).isEqualTo(11);
        assertThat(loads.of(2L)).isEqualTo(3);
        assertThat(loads.of(3L)).isEqualTo(1);
        loads.add(2L);
        assertThat(loads.of(2L)).isEqualTo(4);
        assertThat(reads).hasValue(1);
    }
}
