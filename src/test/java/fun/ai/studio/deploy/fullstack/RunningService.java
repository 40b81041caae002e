package fun.ai.studio.deploy.fullstack;

import fun.ai.studio.deploy.DeployApplication;
import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.TestTokens;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole application, started as in production on a random port with persistence on, and a client for it.
 * Closing it stops the application the way a shutdown does; a new one on the same database is a restart.
 */
final class RunningService implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final DeployClient client;

    private RunningService(ConfigurableApplicationContext context) {
        this.context = context;
        String port = context.getEnvironment().getProperty("local.server.port");
        this.client = new DeployClient("http://127.0.0.1:" + port, TestTokens.ADMIN, TestTokens.NODE, TestTokens.INTERNAL);
    }

    static RunningService start(Map<String, Object> datasource) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--deploy.runtime.persistence.enabled=true",
                "--" + TestTokens.ADMIN_PROPERTY, "--" + TestTokens.NODE_PROPERTY, "--" + TestTokens.INTERNAL_PROPERTY));
        datasource.forEach((key, value) -> args.add("--" + key + "=" + value));
        return new RunningService(new SpringApplicationBuilder(DeployApplication.class).run(args.toArray(String[]::new)));
    }

    DeployClient client() {
        return client;
    }

    int port() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** A bean of the running application, for what HTTP does not show (readiness group members, meters). */
    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
