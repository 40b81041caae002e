package fun.ai.studio.deploy.security;

import fun.ai.studio.deploy.shared.EndpointGroup;
import fun.ai.studio.deploy.DeployApplication;
import fun.ai.studio.deploy.config.AdminProperties;
import fun.ai.studio.deploy.config.InternalApiProperties;
import fun.ai.studio.deploy.config.RegistryProperties;
import fun.ai.studio.deploy.config.RegistryProperties.NodeAuth;
import fun.ai.studio.deploy.config.RegistryProperties.Registration;
import fun.ai.studio.deploy.support.MutableClock;
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

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(OutputCaptureExtension.class)
class ApiSecretsTest {

    private static final Pattern GENERATED =
            Pattern.compile("(?m)^.*\\b(deploy\\.[a-z.-]+) is not set; using this generated secret until restart: (\\S+) .*$");

    private static final String ADMIN = "admin-s3cret-0123456789abcdef0123";
    private static final String NODE = "node-s3cret-0123456789abcdef01234";
    private static final String INTERNAL = "internal-s3cret-0123456789abcdef0";
    private static final String OLD_NODE = "old-node-secret";
    private static final Instant T0 = Instant.parse("2026-11-28T03:12:31.123Z");
    private static final Instant UNTIL = T0.plus(Duration.ofDays(7));

    private final MutableClock clock = new MutableClock(T0);

    private static MockEnvironment environment(String... profiles) {
        MockEnvironment environment = new MockEnvironment();
        environment.setActiveProfiles(profiles);
        return environment;
    }

    private ApiSecrets secrets(String admin, String node, String internal, MockEnvironment environment) {
        return new ApiSecrets(new AdminProperties(true, admin, List.of()), registry(node, NodeAuth.SHARED, null, null),
                new InternalApiProperties(true, internal, List.of()), environment, clock);
    }

    private static RegistryProperties registry(String secret, NodeAuth auth, String previous, Instant validUntil) {
        return new RegistryProperties(true, secret, List.of(), 60, auth, previous, validUntil, Registration.OPEN, 10_000);
    }

    private ApiSecrets nodeSecrets(NodeAuth auth, String previous, Instant validUntil) {
        return new ApiSecrets(new AdminProperties(true, ADMIN, List.of()), registry(NODE, auth, previous, validUntil),
                new InternalApiProperties(true, INTERNAL, List.of()), environment(), clock);
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
        ApiSecrets secrets = secrets(ADMIN, NODE, INTERNAL, environment());

        assertThat(secrets.matches(EndpointGroup.ADMIN, ADMIN)).isTrue();
        assertThat(secrets.matches(EndpointGroup.RUNTIME_NODE_REGISTRY, NODE)).isTrue();
        assertThat(secrets.matches(EndpointGroup.INTERNAL_API, INTERNAL)).isTrue();
        assertThat(secrets.matches(EndpointGroup.ADMIN, NODE)).isFalse();
        assertThat(secrets.matches(EndpointGroup.INTERNAL_API, ADMIN)).isFalse();
        assertThat(secrets.matches(EndpointGroup.ADMIN, ADMIN.substring(1))).isFalse();
        assertThat(secrets.matches(EndpointGroup.ADMIN, ADMIN + " ")).isFalse();
        assertThat(secrets.matches(EndpointGroup.ADMIN, "")).isFalse();
        assertThat(secrets.matches(EndpointGroup.ADMIN, null)).isFalse();
        assertThat(secrets.perNode()).isFalse();
    }

    @Test
    void configuredSecretsAreNeverLogged(CapturedOutput output) {
        secrets(ADMIN + "x1", NODE + "x2", INTERNAL + "x3", environment());

        assertThat(output.getAll()).doesNotContain(ADMIN).doesNotContain(NODE).doesNotContain(INTERNAL)
                .doesNotContain("generated secret").doesNotContain("shorter than");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "CHANGE_ME", "CHANGE_ME_ADMIN_TOKEN", "  CHANGE_ME_later  "})
    void blankOrPlaceholderSecretIsReplacedByAGeneratedOneLoggedOnceAsAWarning(String configured, CapturedOutput output) {
        ApiSecrets secrets = secrets(configured, NODE, INTERNAL, environment());

        String generated = loggedSecret(output, "deploy.admin.token");
        assertThat(generated).hasSizeGreaterThanOrEqualTo(32);
        assertThat(secrets.matches(EndpointGroup.ADMIN, generated)).isTrue();
        if (configured != null) {
            assertThat(secrets.matches(EndpointGroup.ADMIN, configured)).isFalse();
        }
        assertThat(secrets.matches(EndpointGroup.RUNTIME_NODE_REGISTRY, NODE)).isTrue();
        assertThat(output.getAll()).doesNotContain("deploy.runtime-node-registry.shared-secret is not set")
                .doesNotContain("shorter than");
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
        String admin = "MY_CHANGE_ME_" + ADMIN;
        String node = "change_me_lowercase_" + NODE;
        ApiSecrets secrets = secrets(admin, node, INTERNAL, environment("prod"));

        assertThat(secrets.matches(EndpointGroup.ADMIN, admin)).isTrue();
        assertThat(secrets.matches(EndpointGroup.RUNTIME_NODE_REGISTRY, node)).isTrue();
        assertThat(output.getAll()).doesNotContain("generated secret");
    }

    @Test
    void switchedOffGroupNeedsNoSecretAndAcceptsNone(CapturedOutput output) {
        ApiSecrets secrets = new ApiSecrets(new AdminProperties(false, "", List.of()),
                registry(NODE, NodeAuth.SHARED, null, null),
                new InternalApiProperties(false, null, List.of()), environment("prod"), clock);

        assertThat(secrets.matches(EndpointGroup.ADMIN, "")).isFalse();
        assertThat(secrets.matches(EndpointGroup.ADMIN, "anything")).isFalse();
        assertThat(secrets.matches(EndpointGroup.INTERNAL_API, "anything")).isFalse();
        assertThat(secrets.matches(EndpointGroup.RUNTIME_NODE_REGISTRY, NODE)).isTrue();
        assertThat(output.getAll()).doesNotContain("generated secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy.admin.token", "deploy.runtime-node-registry.shared-secret", "deploy.internal-api.shared-secret"})
    void underTheProdProfileABlankOrPlaceholderSecretFailsNamingTheProperty(String property, CapturedOutput output) {
        String admin = property.equals("deploy.admin.token") ? "CHANGE_ME_ADMIN_TOKEN" : ADMIN;
        String node = property.equals("deploy.runtime-node-registry.shared-secret") ? "" : NODE;
        String internal = property.equals("deploy.internal-api.shared-secret") ? null : INTERNAL;

        assertThatThrownBy(() -> secrets(admin, node, internal, environment("prod")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(property + " must be set to a real secret under the prod profile (it is blank or a CHANGE_ME placeholder)");
        assertThat(output.getAll()).doesNotContain("generated secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy.admin.token", "deploy.runtime-node-registry.shared-secret", "deploy.internal-api.shared-secret"})
    void underTheProdProfileASecretShorterThan32CharactersFailsNamingThePropertyNotTheSecret(String property,
                                                                                              CapturedOutput output) {
        String shortSecret = "s3cret-of-31-characters-0123456";
        assertThat(shortSecret).hasSize(31);
        String admin = property.equals("deploy.admin.token") ? shortSecret : ADMIN;
        String node = property.equals("deploy.runtime-node-registry.shared-secret") ? shortSecret : NODE;
        String internal = property.equals("deploy.internal-api.shared-secret") ? shortSecret : INTERNAL;

        assertThatThrownBy(() -> secrets(admin, node, internal, environment("prod")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(property + " is shorter than 32 characters, too short under the prod profile "
                        + "(make one with: openssl rand -hex 32)");
        assertThat(output.getAll()).doesNotContain(shortSecret);
    }

    @Test
    void outsideTheProdProfileAShortSecretIsUsedWithAWarningThatNamesOnlyTheProperty(CapturedOutput output) {
        ApiSecrets secrets = secrets("short-admin", NODE, INTERNAL, environment());

        assertThat(secrets.matches(EndpointGroup.ADMIN, "short-admin")).isTrue();
        assertThat(output.getAll()).contains("WARN").contains("deploy.admin.token is shorter than 32 characters; the prod "
                + "profile refuses such a secret").doesNotContain("short-admin")
                .doesNotContain("deploy.runtime-node-registry.shared-secret is shorter");
    }

    @Test
    void underTheProdProfileRealSecretsStartQuietly(CapturedOutput output) {
        ApiSecrets secrets = secrets(ADMIN, NODE, INTERNAL, environment("prod", "eu"));

        assertThat(secrets.matches(EndpointGroup.ADMIN, ADMIN)).isTrue();
        assertThat(output.getAll()).doesNotContain("generated secret").doesNotContain("shorter than");
    }

    @Test
    void applicationStartUnderTheProdProfileFailsNamingThePropertyLeftAtItsPlaceholder() {
        SpringApplicationBuilder application = new SpringApplicationBuilder(DeployApplication.class)
                .web(WebApplicationType.NONE)
                .profiles("prod");

        // Command-line arguments, as an operator would pass them; they outrank application.properties.
        assertThatThrownBy(() -> application.run("--deploy.admin.token=" + ADMIN,
                "--deploy.runtime-node-registry.shared-secret=" + NODE,
                "--deploy.internal-api.shared-secret=CHANGE_ME_INTERNAL_SECRET"))
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("deploy.internal-api.shared-secret must be set to a real secret under the prod profile");
    }

    @Test
    void applicationStartUnderTheProdProfileFailsNamingThePropertyWhoseSecretIsTooShort(CapturedOutput output) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(DeployApplication.class)
                .web(WebApplicationType.NONE)
                .profiles("prod");

        assertThatThrownBy(() -> application.run("--deploy.admin.token=" + ADMIN,
                "--deploy.runtime-node-registry.shared-secret=node-secret-too-short",
                "--deploy.internal-api.shared-secret=" + INTERNAL))
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("deploy.runtime-node-registry.shared-secret is shorter than 32 characters, too short under "
                        + "the prod profile (make one with: openssl rand -hex 32)");
        assertThat(output.getAll()).doesNotContain("node-secret-too-short");
    }

    @Test
    void thePreviousSharedSecretIsAcceptedUntilItsValidUntilInstantAndNeverAfter(CapturedOutput output) {
        ApiSecrets secrets = nodeSecrets(NodeAuth.SHARED, OLD_NODE, UNTIL);

        assertThat(secrets.matches(EndpointGroup.RUNTIME_NODE_REGISTRY, NODE)).isTrue();
        assertThat(secrets.matches(EndpointGroup.RUNTIME_NODE_REGISTRY, OLD_NODE)).isTrue();
        assertThat(secrets.matches(EndpointGroup.ADMIN, OLD_NODE)).as("only for heartbeats").isFalse();
        clock.set(UNTIL.minusMillis(1));
        assertThat(secrets.matches(EndpointGroup.RUNTIME_NODE_REGISTRY, OLD_NODE)).isTrue();
        clock.set(UNTIL);
        assertThat(secrets.matches(EndpointGroup.RUNTIME_NODE_REGISTRY, OLD_NODE)).isFalse();
        assertThat(secrets.matches(EndpointGroup.RUNTIME_NODE_REGISTRY, NODE)).isTrue();
        assertThat(output.getAll()).contains("deploy.runtime-node-registry.previous-shared-secret is accepted besides the "
                + "current secret until " + UNTIL).doesNotContain(OLD_NODE).doesNotContain(NODE);
    }

    @Test
    void aPreviousSecretWhoseWindowClosedBeforeStartUpIsNotAccepted(CapturedOutput output) {
        clock.set(UNTIL.plusSeconds(1));

        ApiSecrets secrets = nodeSecrets(NodeAuth.SHARED, OLD_NODE, UNTIL);

        assertThat(secrets.matches(EndpointGroup.RUNTIME_NODE_REGISTRY, OLD_NODE)).isFalse();
        assertThat(secrets.matches(EndpointGroup.RUNTIME_NODE_REGISTRY, NODE)).isTrue();
        assertThat(output.getAll()).contains("deploy.runtime-node-registry.previous-shared-secret is no longer accepted");
    }

    @Test
    void aPreviousSecretWithoutValidUntilFailsStartUpNamingBothProperties() {
        assertThatThrownBy(() -> nodeSecrets(NodeAuth.PER_NODE, OLD_NODE, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("deploy.runtime-node-registry.previous-shared-secret needs "
                        + "deploy.runtime-node-registry.previous-shared-secret-valid-until (an ISO-8601 instant such as "
                        + "2026-12-01T00:00:00Z), the moment it stops being accepted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "CHANGE_ME_PREVIOUS"})
    void aBlankOrPlaceholderPreviousSecretIsNoSecretAtAll(String previous) {
        ApiSecrets secrets = nodeSecrets(NodeAuth.SHARED, previous, null);

        assertThat(secrets.matches(EndpointGroup.RUNTIME_NODE_REGISTRY, previous)).isFalse();
        assertThat(secrets.matches(EndpointGroup.RUNTIME_NODE_REGISTRY, NODE)).isTrue();
    }

    @Test
    void aNodeTokenIsTheLowercaseHexHmacSha256OfTheNameKeyedByTheSecret() {
        ApiSecrets secrets = new ApiSecrets(new AdminProperties(true, ADMIN, List.of()),
                registry("test-node-secret-9c1e-5b7f03a2d4e86c19", NodeAuth.PER_NODE, null, null),
                new InternalApiProperties(true, INTERNAL, List.of()), environment(), clock);

        // printf %s rt-node-01 | openssl dgst -sha256 -hmac test-node-secret-9c1e-5b7f03a2d4e86c19
        assertThat(secrets.nodeToken("rt-node-01"))
                .isEqualTo("0040f91d423afcaed4563878a0c9c8b73c93de60b3c220c4b524c7f78aa55c16");
    }

    @Test
    void underPerNodeAuthATokenSpeaksOnlyForItsOwnNodeAndTheSharedSecretItselfForNone() {
        ApiSecrets secrets = nodeSecrets(NodeAuth.PER_NODE, null, null);
        String token = secrets.nodeToken("rt-node-01");

        assertThat(secrets.perNode()).isTrue();
        assertThat(token).matches("[0-9a-f]{64}");
        assertThat(secrets.isNodeToken("rt-node-01", token)).isTrue();
        assertThat(secrets.isNodeToken("rt-node-02", token)).isFalse();
        assertThat(secrets.isNodeToken("RT-NODE-01", token)).as("names are case-sensitive").isFalse();
        assertThat(secrets.isNodeToken("rt-node-01", token.toUpperCase())).isFalse();
        assertThat(secrets.isNodeToken("rt-node-01", token.substring(1))).isFalse();
        assertThat(secrets.isNodeToken("rt-node-01", NODE)).isFalse();
        assertThat(secrets.isNodeToken("rt-node-01", null)).isFalse();
        assertThat(secrets.matches(EndpointGroup.RUNTIME_NODE_REGISTRY, NODE))
                .as("no digest of the shared secret is kept to compare a heartbeat against").isFalse();
        assertThat(secrets.nodeToken("rt-node-02")).isNotEqualTo(token);
    }

    @Test
    void underPerNodeAuthTokensOfThePreviousSecretAreAcceptedUntilValidUntil() {
        String oldToken = nodeSecrets(NodeAuth.PER_NODE, null, null).nodeToken("rt-node-01");
        ApiSecrets rotated = new ApiSecrets(new AdminProperties(true, ADMIN, List.of()),
                registry("rotated-" + NODE, NodeAuth.PER_NODE, NODE, UNTIL),
                new InternalApiProperties(true, INTERNAL, List.of()), environment(), clock);
        String newToken = rotated.nodeToken("rt-node-01");

        assertThat(newToken).as("rotating the secret changes every node's token").isNotEqualTo(oldToken);
        assertThat(rotated.isNodeToken("rt-node-01", newToken)).isTrue();
        assertThat(rotated.isNodeToken("rt-node-01", oldToken)).isTrue();
        assertThat(rotated.isNodeToken("rt-node-02", oldToken)).isFalse();
        clock.set(UNTIL);
        assertThat(rotated.isNodeToken("rt-node-01", oldToken)).isFalse();
        assertThat(rotated.isNodeToken("rt-node-01", newToken)).isTrue();
    }

    @Test
    void nodeTokensDoNotExistUnderSharedAuth() {
        ApiSecrets secrets = nodeSecrets(NodeAuth.SHARED, null, null);

        assertThatThrownBy(() -> secrets.nodeToken("rt-node-01")).isInstanceOf(IllegalStateException.class);
    }
}
