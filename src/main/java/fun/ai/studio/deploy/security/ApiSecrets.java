package fun.ai.studio.deploy.security;

import fun.ai.studio.deploy.config.AdminProperties;
import fun.ai.studio.deploy.config.InternalApiProperties;
import fun.ai.studio.deploy.config.RegistryProperties;
import lombok.extern.slf4j.Slf4j;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;

/**
 * The secret of each enabled endpoint group, settled once at start-up. A blank or {@code CHANGE_ME...}
 * secret is replaced by a random one, logged once with a warning; under the {@code prod} profile that is a
 * start-up failure naming the property instead. Only SHA-256 digests are kept, and presented tokens are
 * compared digest to digest in constant time, so neither length nor content leaks through timing.
 */
@Slf4j
@Component
public class ApiSecrets {

    static final String PLACEHOLDER_PREFIX = "CHANGE_ME";

    private final Map<EndpointGroup, byte[]> digests = new EnumMap<>(EndpointGroup.class);
    private final SecureRandom random = new SecureRandom();

    public ApiSecrets(AdminProperties admin, RegistryProperties registry, InternalApiProperties internal,
                      Environment environment) {
        boolean prod = environment.acceptsProfiles(Profiles.of("prod"));
        settle(EndpointGroup.ADMIN, admin.enabled(), admin.token(), prod);
        settle(EndpointGroup.RUNTIME_NODE_REGISTRY, registry.enabled(), registry.sharedSecret(), prod);
        settle(EndpointGroup.INTERNAL_API, internal.enabled(), internal.sharedSecret(), prod);
    }

    /** True when {@code presented} is the group's secret. */
    public boolean matches(EndpointGroup group, String presented) {
        byte[] expected = digests.get(group);
        return expected != null && presented != null && MessageDigest.isEqual(expected, sha256(presented));
    }

    private void settle(EndpointGroup group, boolean enabled, String configured, boolean prod) {
        if (!enabled) {
            return;
        }
        String secret = configured == null ? "" : configured.trim();
        if (secret.isEmpty() || secret.startsWith(PLACEHOLDER_PREFIX)) {
            if (prod) {
                throw new IllegalStateException(group.secretProperty()
                        + " must be set to a real secret under the prod profile (it is blank or a CHANGE_ME placeholder)");
            }
            secret = generate();
            log.warn("{} is not set; using this generated secret until restart: {} (set {} to choose your own)",
                    group.secretProperty(), secret, group.secretProperty());
        }
        digests.put(group, sha256(secret));
    }

    private String generate() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
