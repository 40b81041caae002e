package fun.ai.studio.deploy.shared;

/** The authenticated endpoint groups of the contract, each with its own header, secret and allow-list. */
public enum EndpointGroup {
    RUNTIME_NODE_REGISTRY("X-RT-Node-Token", "deploy.runtime-node-registry", "heartbeat API"),
    ADMIN("X-Admin-Token", "deploy.admin", "admin API"),
    INTERNAL_API("X-Deploy-Secret", "deploy.internal-api", "internal API");

    private final String header;
    private final String prefix;
    private final String label;

    EndpointGroup(String header, String prefix, String label) {
        this.header = header;
        this.prefix = prefix;
        this.label = label;
    }

    public String header() {
        return header;
    }

    public String label() {
        return label;
    }

    public String secretProperty() {
        return this == ADMIN ? prefix + ".token" : prefix + ".shared-secret";
    }

    public String allowedIpsProperty() {
        return prefix + ".allowed-ips";
    }

    /** The group a servlet path belongs to, or null for unauthenticated paths. */
    public static EndpointGroup of(String method, String path) {
        if (path.equals("/internal/runtime-nodes") || path.startsWith("/internal/runtime-nodes/")) {
            return RUNTIME_NODE_REGISTRY;
        }
        if (path.equals("/internal/placements") || path.startsWith("/internal/placements/")
                || path.equals("/internal/apps") || path.startsWith("/internal/apps/")
                || path.equals(Routes.CHANGES) || path.startsWith(Routes.CHANGES + "/")) {
            return INTERNAL_API;
        }
        // The console's page and script, exactly these two paths: they hold no data, and the page asks for the token.
        if ((path.equals(Routes.CONSOLE_PAGE) || path.equals(Routes.CONSOLE_SCRIPT))
                && ("GET".equals(method) || "HEAD".equals(method))) {
            return null;
        }
        if (path.equals("/admin") || path.startsWith("/admin/")) {
            return ADMIN;
        }
        // Management endpoints beyond health reveal internals (info names the build, JVM and host): operators only.
        // Health is open, but shows status alone unless AdminPrincipalFilter recognises the admin token.
        if ((path.equals("/actuator") || path.startsWith("/actuator/"))
                && !path.equals("/actuator/health") && !path.startsWith("/actuator/health/")) {
            return ADMIN;
        }
        return null;
    }
}
