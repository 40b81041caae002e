package fun.ai.studio.deploy.shared;

import java.util.Locale;

/**
 * Every route of the contract with its method, and what the edge does with it: the audit action of an admin
 * mutation (null when not audited) and whether the audit may keep the answer's data, and whether it is a write
 * call that the overload bound limits. Its endpoint group follows from its path ({@link EndpointGroup#of}).
 */
public enum Route {
    HEARTBEAT("POST", Routes.HEARTBEAT, null, false, true),
    ENSURE("POST", Routes.ENSURE, null, false, true),
    PLACEMENT("GET", Routes.PLACEMENT, null, false, false),
    REPORT("POST", Routes.REPORT, null, false, true),
    HEALTH("GET", Routes.HEALTH, null, false, false),
    CHANGES("GET", Routes.CHANGES, null, false, false),
    NODE_LIST("GET", Routes.NODE_LIST, null, false, false),
    NODE_UPSERT("POST", Routes.NODE_UPSERT, "upsert", true, false),
    NODE_SET_ENABLED("POST", Routes.NODE_SET_ENABLED, "set-enabled", true, false),
    // Who asked for which node's token is worth knowing; the token itself is a credential and is not kept.
    NODE_TOKEN("GET", Routes.NODE_TOKEN, "token", false, false),
    NODE_PLACEMENTS("GET", Routes.NODE_PLACEMENTS, null, false, false),
    REASSIGN("POST", Routes.REASSIGN, "reassign", true, false),
    DRAIN("POST", Routes.DRAIN, "drain", true, false),
    APPS("GET", Routes.APPS, null, false, false),
    APP("GET", Routes.APP, null, false, false),
    AUDIT("GET", Routes.AUDIT, null, false, false),
    ADMIN_CHANGES("GET", Routes.ADMIN_CHANGES, null, false, false),
    CONSOLE_PAGE("GET", Routes.CONSOLE_PAGE, null, false, false),
    CONSOLE_SCRIPT("GET", Routes.CONSOLE_SCRIPT, null, false, false);

    private static final Route[] ALL = values();

    private final String method;
    private final String path;
    private final String auditAction;
    private final boolean auditKeepsData;
    private final boolean boundedWrite;
    private final String[] segments;

    Route(String method, String path, String auditAction, boolean auditKeepsData, boolean boundedWrite) {
        this.method = method;
        this.path = path;
        this.auditAction = auditAction;
        this.auditKeepsData = auditKeepsData;
        this.boundedWrite = boundedWrite;
        this.segments = path.split("/");
    }

    public String method() {
        return method;
    }

    /** The path as mapped, with {@code {appId}} for a path segment. */
    public String path() {
        return path;
    }

    public EndpointGroup group() {
        return EndpointGroup.of(method, path);
    }

    public String auditAction() {
        return auditAction;
    }

    public boolean auditKeepsData() {
        return auditKeepsData;
    }

    public boolean boundedWrite() {
        return boundedWrite;
    }

    /** The word for this route in metric tags: {@code ensure}, {@code heartbeat}, {@code report}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The route a request's method and servlet path ask for, or null. */
    public static Route of(String method, String servletPath) {
        for (Route route : ALL) {
            if (route.method.equals(method) && route.matches(servletPath)) {
                return route;
            }
        }
        return null;
    }

    private boolean matches(String servletPath) {
        if (servletPath.indexOf('{') >= 0) {
            return path.equals(servletPath);
        }
        String[] asked = servletPath.split("/", -1);
        if (asked.length != segments.length) {
            return false;
        }
        for (int i = 0; i < segments.length; i++) {
            boolean variable = segments[i].startsWith("{");
            if (variable ? asked[i].isEmpty() : !segments[i].equals(asked[i])) {
                return false;
            }
        }
        return true;
    }
}
