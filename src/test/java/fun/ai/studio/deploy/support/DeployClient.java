package fun.ai.studio.deploy.support;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Speaks the service's wire contract over real HTTP and reads real JSON, for full-stack tests in any
 * persistence mode. Every {@link Reply#ok()} and {@link Reply#error(int)} also checks the envelope, so each
 * call of a test proves the envelope rules as a side effect.
 */
public final class DeployClient {

    public static final String ADMIN_HEADER = "X-Admin-Token";
    public static final String NODE_HEADER = "X-RT-Node-Token";
    public static final String INTERNAL_HEADER = "X-Deploy-Secret";
    public static final String JSON = "application/json";

    public static final String HEARTBEAT = "/internal/runtime-nodes/heartbeat";
    public static final String NODE_LIST = "/admin/runtime-nodes/list";
    public static final String UPSERT = "/admin/runtime-nodes/upsert";
    public static final String SET_ENABLED = "/admin/runtime-nodes/set-enabled";
    public static final String PLACEMENTS = "/admin/runtime-nodes/placements";
    public static final String REASSIGN = "/admin/runtime-nodes/reassign";
    public static final String DRAIN = "/admin/runtime-nodes/drain";
    public static final String ENSURE = "/internal/placements/ensure";
    public static final String NODE_TOKEN = "/admin/runtime-nodes/token";
    public static final String APPS = "/admin/apps";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final HttpClient http;
    private final URI base;
    private final String adminToken;
    private final String nodeToken;
    private final String internalToken;

    /**
     * @param baseUrl       for example {@code http://127.0.0.1:7002}; use the IP literal when tests depend on the
     *                      peer address the server sees
     * @param adminToken    sent as {@value #ADMIN_HEADER} by {@link #asAdmin()}
     * @param nodeToken     sent as {@value #NODE_HEADER} by {@link #asNode()}
     * @param internalToken sent as {@value #INTERNAL_HEADER} by {@link #asRunner()}
     */
    public DeployClient(String baseUrl, String adminToken, String nodeToken, String internalToken) {
        this.base = URI.create(baseUrl);
        this.adminToken = adminToken;
        this.nodeToken = nodeToken;
        this.internalToken = internalToken;
        // HTTP/1.1 as the real callers speak it; the default HTTP/2 attempt would add an h2c upgrade to each request.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    public Caller anonymous() {
        return new Caller(List.of());
    }

    public Caller asAdmin() {
        return anonymous().header(ADMIN_HEADER, adminToken);
    }

    public Caller asNode() {
        return anonymous().header(NODE_HEADER, nodeToken);
    }

    public Caller asRunner() {
        return anonymous().header(INTERNAL_HEADER, internalToken);
    }

    /** A heartbeat body with both URLs and all three metrics, as the runtime-agent sends it. */
    public static Map<String, Object> heartbeatBody(String nodeName) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("nodeName", nodeName);
        body.put("agentBaseUrl", "http://10.0.0.12:7005");
        body.put("gatewayBaseUrl", "https://gw.example.com");
        body.put("diskFreePct", 71.5);
        body.put("diskFreeBytes", 123456789L);
        body.put("containerCount", 12);
        return body;
    }

    /** Heartbeats for {@code nodeName} and returns the node view. */
    public JsonNode heartbeat(String nodeName) {
        return asNode().post(HEARTBEAT, heartbeatBody(nodeName)).ok();
    }

    /** The named node's token under per-node auth, as an operator gets it from the admin API. */
    public String nodeToken(String nodeName) {
        JsonNode data = asAdmin().get(NODE_TOKEN + "?name=" + nodeName).ok();
        assertThat(data.isString()).as("token data is a string: %s", data).isTrue();
        return data.stringValue();
    }

    public JsonNode upsert(Map<String, ?> body) {
        return asAdmin().post(UPSERT, body).ok();
    }

    /** Switches the node on or off and returns the {@code data} string. */
    public String setEnabled(String name, boolean enabled) {
        JsonNode data = asAdmin().post(SET_ENABLED + "?name=" + name + "&enabled=" + enabled).ok();
        assertThat(data.isString()).as("set-enabled data is a string: %s", data).isTrue();
        return data.stringValue();
    }

    public JsonNode nodes() {
        JsonNode data = asAdmin().get(NODE_LIST).ok();
        assertThat(data.isArray()).as("list data is an array").isTrue();
        return data;
    }

    /** A keyset page of the node list: nodes after {@code afterNodeId} (the first page when null), at most limit. */
    public JsonNode nodesAfter(Long afterNodeId, int limit) {
        String after = afterNodeId == null ? "" : "&afterNodeId=" + afterNodeId;
        JsonNode data = asAdmin().get(NODE_LIST + "?limit=" + limit + after).ok();
        assertThat(data.isObject()).as("a paged list's data is an object: %s", data).isTrue();
        return data;
    }

    /** The view of the named node from the admin list; fails when there is none. */
    public JsonNode node(String name) {
        return StreamSupport.stream(nodes().spliterator(), false)
                .filter(node -> name.equals(node.get("name").stringValue()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no node named " + name + " in the list"));
    }

    public boolean hasNode(String name) {
        return StreamSupport.stream(nodes().spliterator(), false)
                .anyMatch(node -> name.equals(node.get("name").stringValue()));
    }

    public JsonNode ensure(String appId) {
        return asRunner().post(ENSURE, Map.of("appId", appId)).ok();
    }

    public JsonNode placement(String appId) {
        return asRunner().get("/internal/placements/" + appId).ok();
    }

    public JsonNode report(String appId, Map<String, ?> body) {
        return asRunner().post("/internal/apps/" + appId + "/report", body).ok();
    }

    public JsonNode app(String appId) {
        return asAdmin().get("/admin/apps/" + appId).ok();
    }

    /** A page of the redeploy backlog: the apps after {@code afterAppId}, or the first page when it is null. */
    public JsonNode backlogAfter(String afterAppId, int limit) {
        String after = afterAppId == null ? "" : "&afterAppId=" + afterAppId;
        return asAdmin().get(APPS + "?state=moved" + after + "&limit=" + limit).ok();
    }

    public JsonNode placements(long nodeId, long offset, int limit) {
        return asAdmin().get(PLACEMENTS + "?nodeId=" + nodeId + "&offset=" + offset + "&limit=" + limit).ok();
    }

    /** Points the app at the node through the admin API. */
    public void reassign(String appId, long targetNodeId) {
        JsonNode data = asAdmin().post(REASSIGN, Map.of("appId", appId, "targetNodeId", targetNodeId)).ok();
        assertThat(data.isString() && data.stringValue().equals("ok")).as("reassign data is the string ok: %s", data).isTrue();
    }

    public JsonNode drain(long sourceNodeId, long targetNodeId, Integer limit) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sourceNodeId", sourceNodeId);
        body.put("targetNodeId", targetNodeId);
        if (limit != null) {
            body.put("limit", limit);
        }
        return asAdmin().post(DRAIN, body).ok();
    }

    /** A drain with any body (no target, {@code dryRun}, ...); returns the drain result. */
    public JsonNode drain(Map<String, ?> body) {
        JsonNode data = asAdmin().post(DRAIN, body).ok();
        assertThat(data.isObject()).as("drain data is an object: %s", data).isTrue();
        return data;
    }

    /** A keyset page of the node's placements: those after {@code afterAppId}, or the first page when it is null. */
    public JsonNode placementsAfter(long nodeId, String afterAppId, int limit) {
        String after = afterAppId == null ? "" : "&afterAppId=" + afterAppId;
        return asAdmin().get(PLACEMENTS + "?nodeId=" + nodeId + after + "&limit=" + limit).ok();
    }

    /**
     * Every appId on the node, read by walking keyset pages of 2000; for asserting where apps are when a node
     * holds more than one page.
     */
    public List<String> allAppIdsOn(long nodeId) {
        List<String> appIds = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = placementsAfter(nodeId, after, 2000);
            page.get("items").forEach(item -> appIds.add(item.get("appId").stringValue()));
            after = page.get("nextAfterAppId").isNull() ? null : page.get("nextAfterAppId").stringValue();
        } while (after != null);
        return appIds;
    }

    /**
     * Disables every enabled node, so that nodes left behind by earlier tests sharing the service neither
     * receive apps nor count in fleet-wide checks such as the failover guard; returns how many it disabled.
     */
    public int disableEveryNode() {
        int disabled = 0;
        for (JsonNode node : nodes()) {
            if (node.get("enabled").booleanValue()) {
                assertThat(setEnabled(node.get("name").stringValue(), false)).isEqualTo("disabled");
                disabled++;
            }
        }
        return disabled;
    }

    public static String toJson(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** A set of request headers, and the calls made with them. Immutable; {@link #header} returns a copy. */
    public final class Caller {

        private final List<Map.Entry<String, String>> headers;

        private Caller(List<Map.Entry<String, String>> headers) {
            this.headers = List.copyOf(headers);
        }

        /** Adds a header; calling it twice with one name sends the header twice. */
        public Caller header(String name, String value) {
            List<Map.Entry<String, String>> more = new ArrayList<>(headers);
            more.add(Map.entry(name, value));
            return new Caller(more);
        }

        public Reply get(String pathAndQuery) {
            return send("GET", pathAndQuery, null, BodyPublishers.noBody());
        }

        /** A POST without a body. */
        public Reply post(String pathAndQuery) {
            return send("POST", pathAndQuery, null, BodyPublishers.noBody());
        }

        /** A JSON POST; a {@code String} is sent as it is (to send malformed JSON), anything else is serialised. */
        public Reply post(String pathAndQuery, Object json) {
            String text = json instanceof String raw ? raw : toJson(json);
            return send("POST", pathAndQuery, JSON, BodyPublishers.ofString(text, StandardCharsets.UTF_8));
        }

        /**
         * Any request. {@code contentType} null sends none. A publisher of unknown length (for example
         * {@code BodyPublishers.ofInputStream}) is sent chunked.
         */
        public Reply send(String method, String pathAndQuery, String contentType, BodyPublisher body) {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, body);
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            headers.forEach(header -> request.header(header.getKey(), header.getValue()));
            try {
                var response = http.send(request.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
                return new Reply(response.statusCode(),
                        response.headers().firstValue("Content-Type").orElse(""), response.body(),
                        response.headers().firstValue("Retry-After").orElse(null),
                        response.headers().firstValue("X-Deploy-Revision").orElse(null));
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + pathAndQuery + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during " + method + " " + pathAndQuery, e);
            }
        }
    }

    /**
     * One HTTP response, with assertions for the envelope of success and error; {@code retryAfter} and
     * {@code revision} (the {@code X-Deploy-Revision} header) may be null.
     */
    public record Reply(int status, String contentType, String body, String retryAfter, String revision) {

        public Reply(int status, String contentType, String body) {
            this(status, contentType, body, null, null);
        }

        public Reply(int status, String contentType, String body, String retryAfter) {
            this(status, contentType, body, retryAfter, null);
        }

        private static final Set<String> ENVELOPE_FIELDS = Set.of("code", "message", "data");

        /** Traces of leaked internals that must never reach a caller. */
        private static final List<String> LEAKS = List.of("exception", "\tat ", "at fun.ai", "at java.",
                "at org.springframework", "caused by", "sqlstate", "select ", "insert into", "update fun_ai",
                "hibernate", "jdbc");

        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (RuntimeException e) {
                throw new AssertionError("response is not JSON (HTTP " + status + "): " + body, e);
            }
        }

        /** Asserts HTTP 200 with {@code {code: 200, message: "ok", data}} and returns {@code data}. */
        public JsonNode ok() {
            JsonNode envelope = envelope(200);
            assertThat(envelope.get("message").stringValue()).as("message of %s", body).isEqualTo("ok");
            return envelope.get("data");
        }

        /**
         * Asserts an error envelope with this HTTP status: {@code code} equal to it, {@code data} null, a
         * message, and no stack trace or SQL anywhere. Returns the message.
         */
        public String error(int expectedStatus) {
            JsonNode envelope = envelope(expectedStatus);
            assertThat(envelope.get("data").isNull()).as("data of an error is null: %s", body).isTrue();
            String message = envelope.get("message").stringValue();
            assertThat(message).as("message of %s", body).isNotBlank();
            String lower = body.toLowerCase(Locale.ROOT);
            for (String leak : LEAKS) {
                assertThat(lower).as("error body leaks internals: %s", body).doesNotContain(leak);
            }
            return message;
        }

        private JsonNode envelope(int expectedStatus) {
            assertThat(status).as("HTTP status; body %s", body).isEqualTo(expectedStatus);
            assertThat(contentType).as("Content-Type; body %s", body).startsWith(JSON);
            JsonNode envelope = json();
            if (!envelope.isObject()) {
                fail("envelope is not a JSON object: " + body);
            }
            assertThat(new TreeSet<>(envelope.propertyNames())).as("envelope fields of %s", body)
                    .isEqualTo(new TreeSet<>(ENVELOPE_FIELDS));
            assertThat(envelope.get("code").isInt() && envelope.get("code").intValue() == expectedStatus)
                    .as("code equals the HTTP status in %s", body).isTrue();
            assertThat(envelope.get("message").isString()).as("message is a string in %s", body).isTrue();
            return envelope;
        }
    }
}
