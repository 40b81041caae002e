package fun.ai.studio.deploy.apprun;

/** Everything known about one app: its placement and its last run, either of which may be null. */
public record AppStatusView(String appId, PlacementInfo placement, AppRun run) {

    public record PlacementInfo(long nodeId, String nodeName, long lastActiveAt) {
    }
}
