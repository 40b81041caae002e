package fun.ai.studio.deploy.node;

/** An operator's create-or-update of a node by name; a null {@code enabled} or {@code weight} keeps the stored value. */
public record NodeUpsert(String name, String agentBaseUrl, String gatewayBaseUrl, Boolean enabled, Integer weight) {
}
