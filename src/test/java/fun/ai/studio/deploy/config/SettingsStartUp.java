package fun.ai.studio.deploy.config;

import fun.ai.studio.deploy.DeployApplication;
import fun.ai.studio.deploy.support.TestTokens;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starts the service in memory with settings under one prefix, and reads the report of a refused start. */
final class SettingsStartUp {

    private final String prefix;

    SettingsStartUp(String prefix) {
        this.prefix = prefix;
    }

    ConfigurableApplicationContext start(String... settings) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
                "--deploy.runtime.persistence.enabled=false",
                "--" + TestTokens.ADMIN_PROPERTY, "--" + TestTokens.NODE_PROPERTY, "--" + TestTokens.INTERNAL_PROPERTY));
        for (String setting : settings) {
            args.add("--" + prefix + setting);
        }
        return new SpringApplicationBuilder(DeployApplication.class).run(args.toArray(String[]::new));
    }

    /** Starting with {@code setting} fails, and the failure report names the property; returns the report. */
    String refusedNaming(CapturedOutput output, String setting, String reportedName) {
        assertThatThrownBy(() -> start(setting)).isInstanceOf(RuntimeException.class);
        String all = output.getAll();
        assertThat(all).contains("APPLICATION FAILED TO START").doesNotContain("Tomcat started on port");
        String report = all.substring(all.lastIndexOf("APPLICATION FAILED TO START"));
        assertThat(report).as("failure report in%n%s", all)
                .contains("Property: " + prefix + reportedName + System.lineSeparator());
        return report;
    }
}
