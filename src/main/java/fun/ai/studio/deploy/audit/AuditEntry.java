package fun.ai.studio.deploy.audit;

/**
 * One admin mutation or node event: when (epoch ms), from which client address, what was asked, and what happened.
 *
 * @param id      increasing; pages go backwards from it
 * @param action  admin calls: {@code upsert}, {@code set-enabled}, {@code reassign}, {@code drain} or {@code token};
 *                heartbeats: {@code awaiting-approval} (a new node registered disabled) or {@code urls-changed}
 * @param request the query string and body as sent (for node events: the heartbeat's name and URLs), cut to
 *                {@value AuditService#MAX_TEXT} characters
 * @param status  the HTTP status of the answer
 * @param outcome the answer's message, and its data when it succeeded and is not a credential; for node events what
 *                changed; cut likewise
 */
public record AuditEntry(long id, long at, String clientAddress, String action, String request, int status,
                         String outcome) {
}
