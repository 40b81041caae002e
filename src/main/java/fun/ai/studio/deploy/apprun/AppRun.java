package fun.ai.studio.deploy.apprun;

/** The last known deployment result of one app; times are epoch milliseconds. */
public record AppRun(
        String appId,
        Long nodeId,
        String lastJobId,
        String lastJobStatus,
        String lastError,
        Long lastDeployedAt,
        Long lastActiveAt) {
}
