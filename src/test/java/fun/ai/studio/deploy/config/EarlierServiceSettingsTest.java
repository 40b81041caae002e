package fun.ai.studio.deploy.config;

import fun.ai.studio.deploy.DeployApplication;
import fun.ai.studio.deploy.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** The earlier deploy service's settings that this service does not read are named once at start-up, never dropped silently. */
@ExtendWith(OutputCaptureExtension.class)
class EarlierServiceSettingsTest {

    @Test
    void eachIgnoredSettingThatIsSetIsNamedWithWhatToUseInstead() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("deploy.proxy-auth.shared-secret", "s3cret")
                .withProperty("deploy.job.max-running-seconds", "600")
                .withProperty("deploy.admin.token", "read, not ignored");
        assertThat(new EarlierServiceSettings(environment).present()).containsExactly(
                "deploy.job.max-running-seconds (this service has no job queue)",
                "deploy.proxy-auth.shared-secret (the X-Deploy-Secret guard here is deploy.internal-api.shared-secret)");
    }

    @Test
    void nothingIsReportedWhenNoneIsSet() {
        assertThat(new EarlierServiceSettings(new MockEnvironment()).present()).isEmpty();
    }

    @Test
    void theStartUpLogNamesThemOnceWithoutTheirValues(CapturedOutput output) {
        try (ConfigurableApplicationContext ignored = new SpringApplicationBuilder(DeployApplication.class).run(
                "--server.port=0", "--" + TestTokens.ADMIN_PROPERTY, "--" + TestTokens.NODE_PROPERTY,
                "--" + TestTokens.INTERNAL_PROPERTY, "--deploy.run.persistence.enabled=true",
                "--deploy.runtime-agent.token=agent-token-value")) {
            String log = output.getOut();
            assertThat(log).containsOnlyOnce("Settings of the earlier deploy service that this service ignores: "
                    + "deploy.run.persistence.enabled (app runs follow deploy.runtime.persistence.enabled); "
                    + "deploy.runtime-agent.token (this service does not call runtime agents)");
            assertThat(log).doesNotContain("agent-token-value");
        }
    }
}
