package fun.ai.studio.deploy.support;

/** Known secrets for full-stack tests, as property lines usable in {@code @SpringBootTest(properties = ...)}. */
public final class TestTokens {

    public static final String ADMIN = "test-admin-token-4f2a-0c8e91d7b36a5f24";
    public static final String NODE = "test-node-secret-9c1e-5b7f03a2d4e86c19";
    public static final String INTERNAL = "test-internal-secret-77d0-e2a94c1b8f35";

    public static final String ADMIN_PROPERTY = "deploy.admin.token=" + ADMIN;
    public static final String NODE_PROPERTY = "deploy.runtime-node-registry.shared-secret=" + NODE;
    public static final String INTERNAL_PROPERTY = "deploy.internal-api.shared-secret=" + INTERNAL;

    private TestTokens() {
    }
}
