package fun.ai.studio.deploy.support;

/** Known secrets for full-stack tests, as property lines usable in {@code @SpringBootTest(properties = ...)}. */
public final class TestTokens {

    public static final String ADMIN = "test-admin-token-4f2a";
    public static final String NODE = "test-node-secret-9c1e";
    public static final String INTERNAL = "test-internal-secret-77d0";

    public static final String ADMIN_PROPERTY = "deploy.admin.token=" + ADMIN;
    public static final String NODE_PROPERTY = "deploy.runtime-node-registry.shared-secret=" + NODE;
    public static final String INTERNAL_PROPERTY = "deploy.internal-api.shared-secret=" + INTERNAL;

    private TestTokens() {
    }
}
