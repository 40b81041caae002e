package fun.ai.studio.deploy.config;

import lombok.extern.slf4j.Slf4j;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names, once at start-up, the earlier deploy service's settings that are set but that this service does not read,
 * with what to use instead, so an operator who carried its configuration over is not left guessing
 * (docs/upgrade.md maps every setting). Environment variables are found through their relaxed names too.
 */
@Slf4j
@Component
class EarlierServiceSettings {

    /** Setting → why it is ignored here. */
    static final Map<String, String> IGNORED = Collections.unmodifiableMap(ignored());

    private final Environment environment;

    EarlierServiceSettings(Environment environment) {
        this.environment = environment;
    }

    @EventListener(ApplicationStartedEvent.class)
    void reportIgnored() {
        List<String> found = present();
        if (!found.isEmpty()) {
            log.warn("Settings of the earlier deploy service that this service ignores: {}", String.join("; ", found));
        }
    }

    /** Each ignored setting that is set, with its reason. */
    List<String> present() {
        List<String> found = new ArrayList<>();
        IGNORED.forEach((name, reason) -> {
            if (environment.containsProperty(name)) {
                found.add(name + " (" + reason + ")");
            }
        });
        return found;
    }

    private static Map<String, String> ignored() {
        Map<String, String> ignored = new LinkedHashMap<>();
        String appRuns = "app runs follow deploy.runtime.persistence.enabled";
        String jobs = "this service has no job queue";
        String proxy = "the X-Deploy-Secret guard here is deploy.internal-api.";
        String agents = "this service does not call runtime agents";
        ignored.put("deploy.run.persistence.enabled", appRuns);
        ignored.put("deploy.job.persistence.enabled", jobs);
        ignored.put("deploy.job.max-running-seconds", jobs);
        ignored.put("deploy.runner-registry.heartbeat-stale-seconds", "this service keeps no runner registry");
        ignored.put("deploy.proxy-auth.enabled", proxy + "enabled");
        ignored.put("deploy.proxy-auth.allowed-ips", proxy + "allowed-ips");
        ignored.put("deploy.proxy-auth.shared-secret", proxy + "shared-secret");
        ignored.put("deploy.runtime-agent.token", agents);
        ignored.put("deploy.runtime-agent.timeout-seconds", agents);
        ignored.put("FUNAI_TZ", "times are stored in UTC; the earlier tables' zone is "
                + "deploy.runtime.persistence.legacy-time-zone");
        return ignored;
    }
}
