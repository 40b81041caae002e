package fun.ai.studio.deploy.config;

import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * Pins {@code server.forward-headers-strategy} to {@code none}. Left unset, Boot turns on Tomcat's RemoteIpValve
 * whenever it detects a cloud platform (Kubernetes, from the {@code KUBERNETES_SERVICE_*} variables every pod
 * has), and that valve believes {@code X-Forwarded-For} from any private-range peer: any pod could then choose
 * its own client address and pass the allow-lists. Only {@code deploy.security.trusted-proxies} decides who may
 * forward, so the setting is added as the first property source, above every operator setting; a different
 * configured value is reported and ignored.
 *
 * <p>A post-processor of its own rather than part of {@link PersistenceModeEnvironmentPostProcessor}: the two
 * share nothing but the mechanism.
 */
public class ForwardHeadersEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String STRATEGY = "server.forward-headers-strategy";

    private final Log log;

    public ForwardHeadersEnvironmentPostProcessor(DeferredLogFactory logs) {
        this.log = logs.getLog(ForwardHeadersEnvironmentPostProcessor.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty(STRATEGY);
        if (configured != null && !configured.isBlank() && !configured.trim().equalsIgnoreCase("none")) {
            log.warn(STRATEGY + "=" + configured.trim() + " is ignored: this service reads forwarded addresses only "
                    + "from the proxies in deploy.security.trusted-proxies");
        }
        environment.getPropertySources().addFirst(new MapPropertySource("deployForwardHeaders", Map.of(STRATEGY, "none")));
    }
}
