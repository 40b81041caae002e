package fun.ai.studio.deploy.security;

import fun.ai.studio.deploy.shared.EndpointGroup;
import fun.ai.studio.deploy.config.AdminProperties;
import fun.ai.studio.deploy.config.InternalApiProperties;
import fun.ai.studio.deploy.config.RegistryProperties;
import fun.ai.studio.deploy.config.RegistryProperties.NodeAuth;
import lombok.extern.slf4j.Slf4j;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The secret of each enabled endpoint group, settled once at start-up. A blank or {@code CHANGE_ME...} secret is
 * replaced by a random one, logged once with a warning, and a secret shorter than {@value #MIN_LENGTH} characters
 * is warned about; under the {@code prod} profile either is a start-up failure naming the property instead.
 * <p>
 * Only what a check needs is kept: the SHA-256 digest of a secret that callers send as it is (presented tokens are
 * compared digest to digest in constant time, so neither length nor content leaks through timing), and under
 * per-node auth the node secret as an HMAC-SHA256 key, from which each node's token is derived. The node secret
 * before the last rotation is accepted the same way until its {@code valid-until} instant.
 */
@Slf4j
@Component
class ApiSecrets {

    static final String PLACEHOLDER_PREFIX = "CHANGE_ME";

    /** 128 random bits written in hex; a shorter secret is more likely typed by hand than generated. */
    static final int MIN_LENGTH = 32;

    private static final String HMAC = "HmacSHA256";
    private static final String PREVIOUS_SECRET = "deploy.runtime-node-registry.previous-shared-secret";
    private static final String PREVIOUS_VALID_UNTIL = "deploy.runtime-node-registry.previous-shared-secret-valid-until";

    /** One accepted secret, usable until {@code validUntil} (null: for as long as the service runs). */
    private record Accepted<T>(T secret, Instant validUntil) {

        boolean validAt(Instant now) {
            return validUntil == null || now.isBefore(validUntil);
        }
    }

    private final Map<EndpointGroup, List<Accepted<byte[]>>> digests = new EnumMap<>(EndpointGroup.class);
    private final List<Accepted<SecretKeySpec>> nodeKeys = new ArrayList<>();
    private final boolean perNode;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    ApiSecrets(AdminProperties admin, RegistryProperties registry, InternalApiProperties internal,
                      Environment environment, Clock clock) {
        this.clock = clock;
        this.perNode = registry.enabled() && registry.nodeAuth() == NodeAuth.PER_NODE;
        boolean prod = environment.acceptsProfiles(Profiles.of("prod"));
        if (admin.enabled()) {
            digests.put(EndpointGroup.ADMIN, List.of(digest(settle(EndpointGroup.ADMIN, admin.token(), prod), null)));
        }
        if (internal.enabled()) {
            digests.put(EndpointGroup.INTERNAL_API,
                    List.of(digest(settle(EndpointGroup.INTERNAL_API, internal.sharedSecret(), prod), null)));
        }
        if (registry.enabled()) {
            List<String> nodeSecrets = new ArrayList<>();
            nodeSecrets.add(settle(EndpointGroup.RUNTIME_NODE_REGISTRY, registry.sharedSecret(), prod));
            String previous = previous(registry);
            if (previous != null) {
                nodeSecrets.add(previous);
            }
            List<Accepted<byte[]>> nodeDigests = new ArrayList<>();
            for (int i = 0; i < nodeSecrets.size(); i++) {
                Instant until = i == 0 ? null : registry.previousSharedSecretValidUntil();
                if (perNode) {
                    nodeKeys.add(new Accepted<>(new SecretKeySpec(nodeSecrets.get(i).getBytes(StandardCharsets.UTF_8), HMAC),
                            until));
                } else {
                    nodeDigests.add(digest(nodeSecrets.get(i), until));
                }
            }
            digests.put(EndpointGroup.RUNTIME_NODE_REGISTRY, List.copyOf(nodeDigests));
        }
    }

    /** True when {@code presented} is the group's secret (for heartbeats under shared auth: a still valid one). */
    public boolean matches(EndpointGroup group, String presented) {
        if (presented == null) {
            return false;
        }
        byte[] digest = sha256(presented);
        Instant now = clock.instant();
        boolean matched = false;
        for (Accepted<byte[]> accepted : digests.getOrDefault(group, List.of())) {
            // Every accepted secret is compared, so the time taken does not tell which one matched.
            matched |= MessageDigest.isEqual(accepted.secret(), digest) && accepted.validAt(now);
        }
        return matched;
    }

    /** True under {@code node-auth=per-node}: each node sends a token of its own, checked by {@link #isNodeToken}. */
    public boolean perNode() {
        return perNode;
    }

    /** The token the named node sends under per-node auth: lowercase hex HMAC-SHA256 of its name, keyed by the secret. */
    public String nodeToken(String nodeName) {
        if (!perNode) {
            throw new IllegalStateException("node tokens exist only under per-node auth");
        }
        return hmacHex(nodeKeys.get(0).secret(), nodeName);
    }

    /** True when {@code presented} is the named node's token under the secret or, until it expires, the previous one. */
    public boolean isNodeToken(String nodeName, String presented) {
        if (presented == null) {
            return false;
        }
        byte[] token = presented.getBytes(StandardCharsets.UTF_8);
        Instant now = clock.instant();
        boolean matched = false;
        for (Accepted<SecretKeySpec> key : nodeKeys) {
            matched |= MessageDigest.isEqual(hmacHex(key.secret(), nodeName).getBytes(StandardCharsets.US_ASCII), token)
                    && key.validAt(now);
        }
        return matched;
    }

    /** The secret to use for the group: the configured one, or a generated one in its place. */
    private String settle(EndpointGroup group, String configured, boolean prod) {
        String secret = configured == null ? "" : configured.trim();
        if (secret.isEmpty() || secret.startsWith(PLACEHOLDER_PREFIX)) {
            if (prod) {
                throw new IllegalStateException(group.secretProperty()
                        + " must be set to a real secret under the prod profile (it is blank or a CHANGE_ME placeholder)");
            }
            secret = generate();
            log.warn("{} is not set; using this generated secret until restart: {} (set {} to choose your own)",
                    group.secretProperty(), secret, group.secretProperty());
        } else if (secret.length() < MIN_LENGTH) {
            if (prod) {
                throw new IllegalStateException(group.secretProperty() + " is shorter than " + MIN_LENGTH
                        + " characters, too short under the prod profile (make one with: openssl rand -hex 32)");
            }
            log.warn("{} is shorter than {} characters; the prod profile refuses such a secret (make one with: "
                    + "openssl rand -hex 32)", group.secretProperty(), MIN_LENGTH);
        }
        return secret;
    }

    /**
     * The node secret before the last rotation, or null when there is none or its window has closed. Any length is
     * taken: rotating away from a short secret is what the window is for.
     */
    private String previous(RegistryProperties registry) {
        String previous = registry.previousSharedSecret() == null ? "" : registry.previousSharedSecret().trim();
        if (previous.isEmpty() || previous.startsWith(PLACEHOLDER_PREFIX)) {
            return null;
        }
        Instant until = registry.previousSharedSecretValidUntil();
        if (until == null) {
            // Without an end the old secret would stay good for as long as the service runs: no rotation at all.
            throw new IllegalStateException(PREVIOUS_SECRET + " needs " + PREVIOUS_VALID_UNTIL
                    + " (an ISO-8601 instant such as 2026-12-01T00:00:00Z), the moment it stops being accepted");
        }
        if (!clock.instant().isBefore(until)) {
            log.info("{} is no longer accepted: {} ({}) has passed", PREVIOUS_SECRET, PREVIOUS_VALID_UNTIL, until);
            return null;
        }
        log.info("{} is accepted besides the current secret until {}", PREVIOUS_SECRET, until);
        return previous;
    }

    private String generate() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Accepted<byte[]> digest(String secret, Instant validUntil) {
        return new Accepted<>(sha256(secret), validUntil);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    private static String hmacHex(SecretKeySpec key, String message) {
        try {
            // A Mac is not thread-safe and cheap to make; heartbeats arrive at about one per node per minute.
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
        }
    }
}
