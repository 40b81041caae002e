package fun.ai.studio.deploy.support;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reads the audit trail through {@code GET /admin/audit}, to see what a test's calls added to it. */
public final class AuditTrail {

    private final DeployClient client;

    public AuditTrail(DeployClient client) {
        this.client = client;
    }

    /** The id of the newest entry, 0 when there is none. */
    public long newestId() {
        JsonNode items = client.asAdmin().get("/admin/audit?limit=1").ok().get("items");
        return items.isEmpty() ? 0 : items.get(0).get("id").longValue();
    }

    /** Every entry newer than {@code afterId} (at most 500), oldest first. */
    public List<JsonNode> entriesAfter(long afterId) {
        List<JsonNode> newestFirst = new ArrayList<>();
        client.asAdmin().get("/admin/audit?limit=500").ok().get("items").forEach(entry -> {
            if (entry.get("id").longValue() > afterId) {
                newestFirst.add(entry);
            }
        });
        Collections.reverse(newestFirst);
        return newestFirst;
    }
}
