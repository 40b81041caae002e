package fun.ai.studio.deploy.placement;

/** The sticky routing of one app to one node; {@code lastActiveAt} is epoch milliseconds. */
public record Placement(String appId, long nodeId, long lastActiveAt) {
}
