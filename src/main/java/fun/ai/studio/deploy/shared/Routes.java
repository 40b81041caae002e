package fun.ai.studio.deploy.shared;

/**
 * The path of every route of the contract, defined once. Controllers map these constants (annotations need
 * constants); {@link Route} gives each its method and what the edge does with it.
 */
public final class Routes {

    public static final String HEARTBEAT = "/internal/runtime-nodes/heartbeat";
    public static final String ENSURE = "/internal/placements/ensure";
    public static final String PLACEMENT = "/internal/placements/{appId}";
    public static final String REPORT = "/internal/apps/{appId}/report";
    public static final String HEALTH = "/internal/health";
    public static final String CHANGES = "/internal/changes";
    public static final String NODE_LIST = "/admin/runtime-nodes/list";
    public static final String NODE_UPSERT = "/admin/runtime-nodes/upsert";
    public static final String NODE_SET_ENABLED = "/admin/runtime-nodes/set-enabled";
    public static final String NODE_TOKEN = "/admin/runtime-nodes/token";
    public static final String NODE_PLACEMENTS = "/admin/runtime-nodes/placements";
    public static final String REASSIGN = "/admin/runtime-nodes/reassign";
    public static final String DRAIN = "/admin/runtime-nodes/drain";
    public static final String APPS = "/admin/apps";
    public static final String APP = "/admin/apps/{appId}";
    public static final String AUDIT = "/admin/audit";
    public static final String ADMIN_CHANGES = "/admin/changes";
    public static final String CONSOLE_PAGE = "/admin/console";
    public static final String CONSOLE_SCRIPT = "/admin/console.js";

    private Routes() {
    }
}
