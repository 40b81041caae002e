package fun.ai.studio.deploy.audit;

import fun.ai.studio.deploy.shared.LogSafe;
import fun.ai.studio.deploy.shared.Texts;
import lombok.extern.slf4j.Slf4j;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.List;

/**
 * Records every admin mutation, and what a heartbeat changed that operators must see, twice: one structured INFO log
 * line (key-value pairs, which the JSON log formats turn into fields) and one entry in the audit repository, for
 * {@code GET /admin/audit}.
 */
@Slf4j
@Service
public class AuditService {

    public static final int MAX_TEXT = 2_000;

    private final AuditRepository repository;
    private final Clock clock;

    public AuditService(AuditRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /**
     * Stores and logs the entry. When the repository cannot store it (the database is unreachable), the log line
     * is its only record, without {@code audit.id}, and the returned entry has id 0: the answer the caller already
     * got stands.
     */
    public AuditEntry record(String clientAddress, String action, String request, int status, String outcome) {
        return store("admin", clientAddress, action, request, status, outcome);
    }

    /**
     * Records a change a runtime-agent's heartbeat made, answered 200, like {@link #record}; its log line starts
     * with {@code node} instead of {@code admin}.
     *
     * @param action {@code awaiting-approval} or {@code urls-changed}
     */
    public AuditEntry recordNodeEvent(String clientAddress, String action, String request, String outcome) {
        return store("node", clientAddress, action, request, 200, outcome);
    }

    private AuditEntry store(String source, String clientAddress, String action, String request, int status,
                             String outcome) {
        AuditEntry entry = new AuditEntry(0, clock.millis(), clientAddress, action, cut(request), status, cut(outcome));
        try {
            entry = repository.append(entry);
        } catch (RuntimeException e) {
            log.warn("{} audit entry not stored ({}); only the log line below records it", source,
                    e.getClass().getSimpleName());
        }
        // The entry's texts are already cut to MAX_TEXT; the log keeps all of them, escaped like any request value.
        String client = LogSafe.of(clientAddress);
        String asked = LogSafe.of(entry.request(), MAX_TEXT);
        String result = LogSafe.of(entry.outcome(), MAX_TEXT);
        LoggingEventBuilder line = log.atInfo().setMessage("{} {} from {}: asked [{}] -> {} [{}]")
                .addArgument(source).addArgument(action).addArgument(client).addArgument(asked)
                .addArgument(status).addArgument(result);
        if (entry.id() > 0) {
            line = line.addKeyValue("audit.id", entry.id());
        }
        line.addKeyValue("audit.action", action)
                .addKeyValue("audit.client", client).addKeyValue("audit.request", asked)
                .addKeyValue("audit.status", status).addKeyValue("audit.outcome", result)
                .log();
        return entry;
    }

    /** Newest first; {@code before} is the id of the last entry of the previous page. */
    public AuditPage page(Long before, int limit) {
        // One entry more than the page tells whether an older page exists, so the last page says null.
        List<AuditEntry> read = repository.findBefore(before, limit + 1);
        List<AuditEntry> items = read.size() > limit ? read.subList(0, limit) : read;
        Long next = read.size() > limit ? items.get(items.size() - 1).id() : null;
        return new AuditPage(items, next);
    }

    private static String cut(String text) {
        return Texts.cut(text, MAX_TEXT);
    }
}
