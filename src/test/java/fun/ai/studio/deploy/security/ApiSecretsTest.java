package fun.ai.studio.deploy.security;

import fun.ai.studio.deploy.DeployApplication;
import fun.ai.studio.deploy.config.AdminProperties;
import fun.ai.studio.deploy.config.InternalApiProperties;
import fun.ai.studio.deploy.config.RegistryProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(OutputCaptureExtension.class)
class ApiSecretsTest {

    private static final Pattern GENERATED =
            Pattern.compile("(?m)^.*\\b(deploy\\.[a-z.-]+) is not set; using this generated secret until restart: (\\S+) .*$");

    private static MockEnvironment environment(String... profiles) {
        MockEnvironment environment = new MockEnvironment();
        environment.setActiveProfiles(profiles);
        return environment;
    }

    private static ApiSecrets secrets(String admin, String node, String internal, MockEnvironment environment) {
        return new ApiSecrets(new AdminProperties(true, admin, List.of()),
                new RegistryProperties(true, node, List.of(), 60),
                new InternalApiProperties(true, internal, List.of()), environment);
    }

    /** The generated secret the warning gives for {@code property}; fails unless it was logged exactly once. */
    private static String loggedSecret(CapturedOutput output, String property) {
        Matcher matcher = GENERATED.matcher(output.getAll());
        String secret = null;
        int times = 0;
        while (matcher.find()) {
            if (matcher.group(1).equals(property)) {
                assertThat(matcher.group()).as("logged as a warning").contains("WARN");
                secret = matcher.group(2);
                times++;
            }
        }
        assertThat(times).as("warnings for %s in%n%s", property, output.getAll()).isEqualTo(1);
        return secret;
    }

    @Test
    void configuredSecretsMatchOnlyTheirOwnGroup() {
        ApiSecrets secrets = secrets("admin-s3cret", "node-s3cret", "internal-s3cret", environment());

        assertThat(secrets.matches(EndpointGroup.ADMIN, "admin-s3cret")).isTrue();
        assertThat(secrets.matches(EndpointGroup.RUNTIME_NODE_REGISTRY, "node-s3cret")).isTrue();
        assertThat(secrets.matches(EndpointGroup.INTERNAL_API, "internal-s3cret")).isTrue();
        assertThat(secrets.matches(EndpointGroup.ADMIN, "node-s3cret")).isFalse();
        assertThat(secrets.matches(EndpointGroup.INTERNAL_API, "admin-s3cret")).isFalse();
        assertThat(secrets.matches(EndpointGroup.ADMIN, "admin-s3cre")).isFalse();
        assertThat(secrets.matches(EndpointGroup.ADMIN, "admin-s3cret ")).isFalse();
        assertThat(secrets.matches(EndpointGroup.ADMIN, "")).isFalse();
        assertThat(secrets.matches(EndpointGroup.ADMIN, null)).isFalse();
    }

    @Test
    void configuredSecretsAreNeverLogged(CapturedOutput output) {
        secrets("admin-s3cret-x1", "node-s3cret-x2", "internal-s3cret-x3", environment());

        assertThat(output.getAll()).doesNotContain("admin-s3cret-x1").doesNotContain("node-s3cret-x2")
                .doesNotContain("internal-s3cret-x3").doesNotContain("generated secret");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "CHANGE_ME", "CHANGE_ME_ADMIN_TOKEN", "  CHANGE_ME_later  "})
    void blankOrPlaceholderSecretIsReplacedByAGeneratedOneLoggedOnceAsAWarning(String configured, CapturedOutput output) {
        ApiSecrets secrets = secrets(configured, "node-s3cret", "internal-s3cret", environment());

        String generated = loggedSecret(output, "deploy.admin.token");
        assertThat(generated).hasSizeGreaterThanOrEqualTo(32);
        assertThat(secrets.matches(EndpointGroup.ADMIN, generated)).isTrue();
        if (configured != null) {
            assertThat(secrets.matches(EndpointGroup.ADMIN, configured)).isFalse();
        }
        assertThat(secrets.matches(EndpointGroup.RUNTIME_NODE_REGISTRY, "node-s3cret")).isTrue();
        assertThat(output.getAll()).doesNotContain("deploy.runtime-node-registry.shared-secret is not set");
    }

    @Test
    void everyPlaceholderGroupGetsItsOwnGeneratedSecret(CapturedOutput output) {
        ApiSecrets secrets = secrets("CHANGE_ME_ADMIN_TOKEN", "CHANGE_ME_NODE_SECRET", "CHANGE_ME_INTERNAL_SECRET", environment());

        String admin = loggedSecret(output, "deploy.admin.token");
        String node = loggedSecret(output, "deploy.runtime-node-registry.shared-secret");
        String internal = loggedSecret(output, "deploy.internal-api.shared-secret");
        assertThat(List.of(admin, node, internal)).doesNotHaveDuplicates();
        assertThat(secrets.matches(EndpointGroup.ADMIN, admin)).isTrue();
        assertThat(secrets.matches(EndpointGroup.RUNTIME_NODE_REGISTRY, node)).isTrue();
        assertThat(secrets.matches(EndpointGroup.INTERNAL_API, internal)).isTrue();
        assertThat(secrets.matches(EndpointGroup.ADMIN, node)).isFalse();
    }

    @Test
    void valueMerelyContainingThePlaceholderIsARealSecret(CapturedOutput output) {
        ApiSecrets secrets = secrets("MY_CHANGE_ME", "change_me_lowercase", "internal-s3cret", environment("prod"));

        assertThat(secrets.matches(EndpointGroup.ADMIN, "MY_CHANGE_ME")).isTrue();
        assertThat(secrets.matches(EndpointGroup.RUNTIME_NODE_REGISTRY, "change_me_lowercase")).isTrue();
        assertThat(output.getAll()).doesNotContain("generated secret");
    }

    @Test
    void switchedOffGroupNeedsNoSecretAndAcceptsNone(CapturedOutput output) {
        ApiSecrets secrets = new ApiSecrets(new AdminProperties(false, "", List.of()),
                new RegistryProperties(true, "node-s3cret", List.of(), 60),
                new InternalApiProperties(false, null, List.of()), environment("prod"));

        assertThat(secrets.matches(EndpointGroup.ADMIN, "")).isFalse();
        assertThat(secrets.matches(EndpointGroup.ADMIN, "anything")).isFalse();
        assertThat(secrets.matches(EndpointGroup.INTERNAL_API, "anything")).isFalse();
        assertThat(secrets.matches(EndpointGroup.RUNTIME_NODE_REGISTRY, "node-s3cret")).isTrue();
        assertThat(output.getAll()).doesNotContain("generated secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy.admin.token", "deploy.runtime-node-registry.shared-secret", "deploy.internal-api.shared-secret"})
    void underTheProdProfileABlankOrPlaceholderSecretFailsNamingTheProperty(String property, CapturedOutput output) {
        String admin = property.equals("deploy.admin.token") ? "CHANGE_ME_ADMIN_TOKEN" : "admin-s3cret";
        String node = property.equals("deploy.runtime-node-registry.shared-secret") ? "" : "node-s3cret";
        String internal = property.equals("deploy.internal-api.shared-secret") ? null : "internal-s3cret";

        assertThatThrownBy(() -> secrets(admin, node, internal, environment("prod")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(property + " must be set to a real secret under the prod profile (it is blank or a CHANGE_ME placeholder)");
        assertThat(output.getAll()).doesNotContain("generated secret");
    }

    @Test
    void underTheProdProfileRealSecretsStartQuietly(CapturedOutput output) {
        ApiSecrets secrets = secrets("admin-s3cret", "node-s3cret", "internal-s3cret", environment("prod", "eu"));

        assertThat(secrets.matches(EndpointGroup.ADMIN, "admin-s3cret")).isTrue();
        assertThat(output.getAll()).doesNotContain("generated secret");
    }

    @Test
    void applicationStartUnderTheProdProfileFailsNamingThePropertyLeftAtItsPlaceholder() {
        SpringApplicationBuilder application = new SpringApplicationBuilder(DeployApplication.class)
                .web(WebApplicationType.NONE)
                .profiles("prod");

        // Command-line arguments, as an operator would pass them; they outrank application.properties.
        assertThatThrownBy(() -> application.run("--deploy.admin.token=admin-s3cret",
                "--deploy.runtime-node-registry.shared-secret=node-s3cret",
                "--deploy.internal-api.shared-secret=CHANGE_ME_INTERNAL_SECRET"))
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("deploy.internal-api.shared-secret must be set to a real secret under the prod profile");
    }
}
