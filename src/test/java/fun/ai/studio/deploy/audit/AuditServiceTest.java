package fun.ai.studio.deploy.audit;

import fun.ai.studio.deploy.support.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class AuditServiceTest {

    private final AuditService audit = new AuditService(new InMemoryAuditRepository(100),
            new MutableClock(Instant.parse("2026-11-28T03:12:31.123Z")));

    @Test
    void aTextCutAtTheLimitNeverKeepsHalfOfAnEmoji() {
        String emoji = "\uD83D\uDE80";
        String request = "a".repeat(AuditService.MAX_TEXT - 1) + emoji;
        String outcome = "b".repeat(AuditService.MAX_TEXT - 2) + emoji + "tail";

        AuditEntry stored = audit.record("10.0.0.1", "upsert", request, 200, outcome);

        assertThat(stored.request()).isEqualTo("a".repeat(AuditService.MAX_TEXT - 1));
        assertThat(stored.outcome()).isEqualTo("b".repeat(AuditService.MAX_TEXT - 2) + emoji);
    }

    @Test
    void aLastPageThatIsExactlyFullSaysThereIsNoOlderPage() {
        for (int i = 0; i < 4; i++) {
            audit.record("10.0.0.1", "set-enabled", "?name=rt-" + i + "&enabled=false", 200, "ok");
        }

        AuditPage first = audit.page(null, 2);
        AuditPage second = audit.page(first.nextBefore(), 2);

        assertThat(first.items()).extracting(AuditEntry::id).containsExactly(4L, 3L);
        assertThat(first.nextBefore()).isEqualTo(3L);
        assertThat(second.items()).extracting(AuditEntry::id).containsExactly(2L, 1L);
        assertThat(second.nextBefore()).isNull();
    }

    @Test
    void aRequestWithLineBreaksCannotForgeALogLine(CapturedOutput output) {
        audit.record("10.0.0.1", "upsert", "{\"name\":\"x\"}\n2026-11-28 INFO forged line", 400, "bad\r\ninput");

        String line = output.getOut().lines().filter(l -> l.contains("admin upsert from 10.0.0.1")).findFirst().orElseThrow();
        assertThat(line).contains("\\n2026-11-28 INFO forged line").contains("bad\\r\\ninput");
        assertThat(output.getOut().lines()).noneMatch(l -> l.startsWith("2026-11-28 INFO forged line"));
    }
}
