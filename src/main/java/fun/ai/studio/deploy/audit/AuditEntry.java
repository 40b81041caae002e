package fun.ai.studio.deploy.audit;

/**
 * One admin mutation: when (epoch ms), from which client address, what was asked, and what happened.
 *
 * @param id      increasing; pages go backwards from it
 * @param action  {@code upsert}, {@code set-enabled}, {@code reassign} or {@code drain}
 * @param request the query string and body as sent, cut to {@value AuditService#MAX_TEXT} characters
 * @param status  the HTTP status of the answer
 * @param outcome the answer's message, and its data when it succeeded, cut likewise
 */
public record AuditEntry(long id, long at, String clientAddress, String action, String request, int status,
                         String outcome) {
}
