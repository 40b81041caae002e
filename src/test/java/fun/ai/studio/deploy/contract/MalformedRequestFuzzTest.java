package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.LogLines;
import fun.ai.studio.deploy.support.RawHttp;
import fun.ai.studio.deploy.support.SeededRandomExtension;
import fun.ai.studio.deploy.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static fun.ai.studio.deploy.support.DeployClient.DRAIN;
import static fun.ai.studio.deploy.support.DeployClient.ENSURE;
import static fun.ai.studio.deploy.support.DeployClient.HEARTBEAT;
import static fun.ai.studio.deploy.support.DeployClient.NODE_LIST;
import static fun.ai.studio.deploy.support.DeployClient.PLACEMENTS;
import static fun.ai.studio.deploy.support.DeployClient.REASSIGN;
import static fun.ai.studio.deploy.support.DeployClient.SET_ENABLED;
import static fun.ai.studio.deploy.support.DeployClient.UPSERT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two thousand seeded random malformed requests over raw sockets, across every endpoint: broken request lines,
 * encodings and dot segments in paths and queries, bad and huge headers, bad framing, malformed or wrongly typed
 * or oversized bodies. None may get a 5xx, log a stack trace or change anything. The seed is printed first;
 * {@code -Ddeploy.test.seed=} replays a run.
 *
 * <p>Nothing generated can succeed at a change: a request to a changing endpoint with the right token always
 * carries a body whose first member has the wrong type (so every prefix of it is invalid too, whatever the
 * framing cuts off), and an admin change with the right token always carries a malformed query, which is refused
 * before the audit trail would record the attempt.
 */
@ExtendWith({OutputCaptureExtension.class, SeededRandomExtension.class})
class MalformedRequestFuzzTest extends InMemoryContractTest {

    private static final int REQUESTS = 2_000;
    private static final String NODE = "fuzz-node-1";
    private static final String APP = "fuzz-app-1";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private enum Group { OPEN, ADMIN, NODE, INTERNAL }

    /**
     * One endpoint: a valid request to it, and for a changing endpoint the member that poisons its body. The
     * changing endpoints are exactly those with a body or a query that changes state: the POSTs here.
     */
    private record Route(String method, String target, Group group, String body, String poisonedMember) {

        boolean changes() {
            return method.equals("POST");
        }
    }

    private static final List<Route> ROUTES = List.of(
            new Route("POST", HEARTBEAT, Group.NODE, """
                    {"nodeName":"%s","agentBaseUrl":"http://10.0.0.1:7005","gatewayBaseUrl":"http://rt_gw_1:8080",\
                    "diskFreePct":50,"diskFreeBytes":1,"containerCount":1}""".formatted(NODE), "nodeName"),
            new Route("GET", NODE_LIST, Group.ADMIN, null, null),
            new Route("POST", UPSERT, Group.ADMIN, """
                    {"name":"%s","agentBaseUrl":"http://10.0.0.1:7005","gatewayBaseUrl":"http://10.0.0.1:8080",\
                    "enabled":false,"weight":0}""".formatted(NODE), "name"),
            new Route("POST", SET_ENABLED + "?name=" + NODE + "&enabled=false", Group.ADMIN, null, "name"),
            new Route("GET", PLACEMENTS + "?nodeId=1&limit=10", Group.ADMIN, null, null),
            new Route("POST", REASSIGN, Group.ADMIN, "{\"appId\":\"" + APP + "\",\"targetNodeId\":1}", "appId"),
            new Route("POST", DRAIN, Group.ADMIN, "{\"sourceNodeId\":1,\"dryRun\":false,\"limit\":5}", "sourceNodeId"),
            new Route("GET", "/admin/apps/" + APP, Group.ADMIN, null, null),
            new Route("GET", "/admin/audit?limit=5", Group.ADMIN, null, null),
            new Route("GET", "/admin/console", Group.OPEN, null, null),
            new Route("GET", "/admin/console.js", Group.OPEN, null, null),
            new Route("POST", ENSURE, Group.INTERNAL, "{\"appId\":\"fuzz-app-2\"}", "appId"),
            new Route("GET", "/internal/placements/" + APP, Group.INTERNAL, null, null),
            new Route("POST", "/internal/apps/" + APP + "/report", Group.INTERNAL,
                    "{\"status\":\"FAILED\",\"jobId\":\"fuzz\",\"error\":\"e\"}", "status"),
            new Route("GET", "/internal/health", Group.OPEN, null, null),
            new Route("GET", "/actuator/health", Group.OPEN, null, null),
            new Route("GET", "/actuator/health/readiness", Group.OPEN, null, null),
            new Route("GET", "/actuator/info", Group.OPEN, null, null),
            new Route("GET", "/actuator/prometheus", Group.ADMIN, null, null),
            new Route("GET", "/actuator/metrics/jvm.memory.used", Group.ADMIN, null, null),
            new Route("GET", "/v3/api-docs", Group.OPEN, null, null),
            new Route("GET", "/v3/api-docs/swagger-config", Group.OPEN, null, null),
            new Route("GET", "/swagger-ui.html", Group.OPEN, null, null),
            new Route("GET", "/swagger-ui/index.html", Group.OPEN, null, null),
            new Route("GET", "/error", Group.OPEN, null, null),
            new Route("GET", "/no/such/path", Group.OPEN, null, null));

    private static final Map<Group, String> TOKEN_HEADERS = Map.of(Group.ADMIN, "X-Admin-Token",
            Group.NODE, "X-RT-Node-Token", Group.INTERNAL, "X-Deploy-Secret");
    private static final Map<Group, String> TOKENS = Map.of(Group.ADMIN, TestTokens.ADMIN,
            Group.NODE, TestTokens.NODE, Group.INTERNAL, TestTokens.INTERNAL);

    /** Everything a malformed request must leave as it was. */
    private String state() {
        return client.nodes().toString() + client.asRunner().get("/internal/placements/" + APP).ok()
                + client.asAdmin().get("/admin/apps/" + APP).ok() + client.asAdmin().get("/admin/audit?limit=20").ok();
    }

    @Test
    void randomMalformedRequestsGetNoServerErrorLogNoStackTraceAndChangeNothing(SplittableRandom random,
                                                                                CapturedOutput output) {
        System.out.println("MalformedRequestFuzzTest seed " + SeededRandomExtension.SEED + "; replay with -D"
                + SeededRandomExtension.SEED_PROPERTY + "=" + SeededRandomExtension.SEED);
        client.heartbeat(NODE);
        client.ensure(APP);
        client.report(APP, Map.of("status", "RUNNING"));
        String before = state();
        int logged = output.getAll().length();
        RawHttp raw = new RawHttp(port);
        Map<Integer, Integer> statuses = new TreeMap<>();

        for (int i = 0; i < REQUESTS; i++) {
            byte[] request = generate(random);
            RawHttp.Response answer = raw.send(request);

            int status = answer.status() > 0 ? answer.status()
                    : answer.status() == 0 || isHttp09(request) ? envelopeCode(answer.body()) : answer.status();
            statuses.merge(status, 1, Integer::sum);
            assertThat(status).as("request %d: %s%nanswered %s", i, RawHttp.preview(request), answer)
                    .isBetween(200, 499);
        }

        System.out.println("MalformedRequestFuzzTest statuses " + statuses);
        List<String> lines = output.getAll().substring(logged).lines().toList();
        assertThat(lines).noneMatch(LogLines::isTraceLine).noneMatch(line -> line.contains(" ERROR "));
        assertThat(state()).isEqualTo(before);
    }

    /** A request line without a version: Tomcat answers it as HTTP/0.9, with the body alone, or nothing for none. */
    private static boolean isHttp09(byte[] request) {
        String text = new String(request, StandardCharsets.ISO_8859_1);
        String line = text.substring(0, Math.max(0, text.indexOf('\n')));
        return !line.toUpperCase(Locale.ROOT).contains(" HTTP/");
    }

    /**
     * The status of an answer without a status line (HTTP/0.9): the envelope's code for an error, 200 for anything
     * else (a page, actuator's own JSON, the empty body of a redirect).
     */
    private static int envelopeCode(String body) {
        try {
            JsonNode code = JSON.readTree(body).get("code");
            return code != null && code.isInt() ? code.intValue() : 200;
        } catch (RuntimeException notJson) {
            return 200;
        }
    }

    // ---- generation ---------------------------------------------------------------------------------------

    private static <T> T pick(SplittableRandom random, List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    private static boolean chance(SplittableRandom random, double probability) {
        return random.nextDouble() < probability;
    }

    private static byte[] generate(SplittableRandom random) {
        Route route = pick(random, ROUTES);
        String token = route.group() == Group.OPEN ? pick(random, List.of("", "wrong"))
                : pick(random, List.of("", "wrong", TOKENS.get(route.group()), TOKENS.get(route.group())));
        boolean authentic = token.equals(TOKENS.get(route.group()));

        String method = chance(random, 0.25) ? method(random) : route.method();
        String target = route.target();
        String query = "";
        int mark = target.indexOf('?');
        if (mark >= 0) {
            query = target.substring(mark + 1);
            target = target.substring(0, mark);
        }
        if (chance(random, 0.3)) {
            target = path(random, target);
        }
        if (chance(random, 0.3)) {
            query = query(random, query);
        }
        if (authentic && route.changes() && route.group() == Group.ADMIN) {
            // Refused by the query check, before the audit trail sees the call.
            query = (query.isEmpty() ? "" : query + "&") + pick(random, List.of("zz=%zz", "zz=%c0%af", "zz=%", "zz=%e9"));
        }
        String requestTarget = query.isEmpty() ? target : target + "?" + query;

        byte[] body = body(random, route, authentic && route.changes());
        List<String> headers = new ArrayList<>();
        if (!token.isEmpty()) {
            headers.add(pick(random, List.of(TOKEN_HEADERS.getOrDefault(route.group(), "X-Admin-Token"),
                    "X-Admin-Token", "X-RT-Node-Token", "X-Deploy-Secret")) + ": " + token);
        }
        if (body.length > 0 || chance(random, 0.2)) {
            headers.add("Content-Type: " + pick(random, List.of("application/json", "application/json",
                    "application/json; charset=UTF-8", "application/json; charset=nope", "application/json; charset=\"",
                    "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                    "multipart/form-data", ";;;", "application/json;;q=\u0001", "*/*", "application/json, text/plain",
                    "a".repeat(3000))));
        }
        headers.addAll(extraHeaders(random));
        return frame(random, method + " " + requestTarget, headers, body);
    }

    private static String method(SplittableRandom random) {
        return pick(random, List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT",
                "get", "G@T", "FOO", "M".repeat(300), "PROPFIND", "POST "));
    }

    private static String path(SplittableRandom random, String path) {
        int cut = 1 + random.nextInt(Math.max(1, path.length() - 1));
        String head = path.substring(0, cut);
        String tail = path.substring(cut);
        return switch (random.nextInt(20)) {
            case 0 -> head + "%zz" + tail;
            case 1 -> head + "%c0%af" + tail;
            case 2 -> head + "%00" + tail;
            case 3 -> head + "%2F" + tail;
            case 4 -> head + "%5C" + tail;
            case 5 -> head + "%0d%0a" + tail;
            case 6 -> path.replaceFirst("/", "/./");
            case 7 -> path.replaceFirst("/([a-z]+)/", "/$1/x/../");
            case 8 -> path.replaceFirst("/([a-z]+)/", "/$1/%2e%2e/$1/");
            case 9 -> path.replace("/", "//");
            case 10 -> head + ";jsessionid=0123;x=y" + tail;
            case 11 -> path + "/";
            case 12 -> path.toUpperCase();
            case 13 -> head + "a".repeat(random.nextInt(9000)) + tail;
            case 14 -> head + pick(random, List.of(" ", "<", "\"", "{", "|", "\\", "\u001b", "\u007f", "\u00ff", "\t", "#"))
                    + tail;
            case 15 -> head + "%C3%A9%E2%82%AC" + tail;
            case 16 -> "/../../.." + path;
            case 17 -> "http://evil.example" + path;
            case 18 -> pick(random, List.of("*", "", "%", "//", "/%2e%2e", "/..;/admin/runtime-nodes/list"));
            default -> head + "%2e" + tail;
        };
    }

    private static String query(SplittableRandom random, String query) {
        String extra = switch (random.nextInt(14)) {
            case 0 -> "x=%zz";
            case 1 -> "x=%c0%af";
            case 2 -> "x=%";
            case 3 -> "=x";
            case 4 -> "nodeId=abc&limit=-1&offset=x";
            case 5 -> "nodeId=99999999999999999999999&limit=99999999999";
            case 6 -> "name=%2d%2dbad&enabled=maybe";
            case 7 -> "a=1&".repeat(1001);
            case 8 -> "x=" + "q".repeat(random.nextInt(7000));
            case 9 -> "&&&==&";
            case 10 -> "x=%E2%82%AC&y=%F0%9F%98%80";
            case 11 -> "before=-5&limit=0&afterAppId=" + "%41".repeat(200);
            case 12 -> "x=%ed%a0%80";
            default -> "x=a+b%20c";
        };
        return query.isEmpty() || chance(random, 0.3) ? extra : query + "&" + extra;
    }

    private static byte[] body(SplittableRandom random, Route route, boolean mustFail) {
        String example = route.body() == null ? "{\"a\":1}" : route.body();
        byte[] body = switch (random.nextInt(12)) {
            case 0, 1 -> example.getBytes(StandardCharsets.UTF_8);
            case 2 -> example.substring(0, random.nextInt(example.length())).getBytes(StandardCharsets.UTF_8);
            case 3 -> example.replaceFirst(":[^,}]+", ":" + pick(random, List.of("true", "[]", "{}", "1e999999", "null",
                    "99999999999999999999999", "\"x\"", "-0", "NaN"))).getBytes(StandardCharsets.UTF_8);
            case 4 -> pick(random, List.of("[]", "null", "\"s\"", "42", "", "   ", "{", "}", "{}", "{\"a\":}"))
                    .getBytes(StandardCharsets.UTF_8);
            case 5 -> ("[".repeat(3000) + "]".repeat(3000)).getBytes(StandardCharsets.UTF_8);
            case 6 -> (example.substring(0, example.length() - 1) + ",\"pad\":\"" + "p".repeat(70 * 1024) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            case 7 -> randomBytes(random, random.nextInt(2000));
            case 8 -> concat(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, example.getBytes(StandardCharsets.UTF_8));
            case 9 -> example.replace("}", ",\"unknown\":{\"deep\":[1,2,{\"x\":\"\u0000\\u0000\"}]}}")
                    .getBytes(StandardCharsets.UTF_8);
            case 10 -> example.replace("\"", "\"\\uD800").getBytes(StandardCharsets.UTF_8);
            default -> route.body() == null ? new byte[0] : example.replace("\"", "'").getBytes(StandardCharsets.UTF_8);
        };
        if (!mustFail) {
            return body;
        }
        // The wrong type in the first member fails the read there, before anything after it counts.
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String rest = text.startsWith("{") ? text.substring(1) : "\"rest\":" + JSON.writeValueAsString(text) + "}";
        String poisoned = "{\"" + route.poisonedMember() + "\":[\"wrong type\"]," + rest;
        return poisoned.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<String> extraHeaders(SplittableRandom random) {
        List<String> headers = new ArrayList<>();
        int count = chance(random, 0.5) ? 0 : 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            headers.add(switch (random.nextInt(22)) {
                case 0 -> "Accept: " + pick(random, List.of("text/html", "image/png", ";;;", "application/json;q=abc", "*/*"));
                case 1 -> "X-Filler: " + "f".repeat(random.nextInt(chance(random, 0.5) ? 12_000 : 2_000));
                case 2 -> "X-Control: a\u0001b";
                case 3 -> "Bad Header: x";
                case 4 -> "NoColon";
                case 5 -> "X-Folded: a\r\n b";
                case 6 -> "Expect: " + pick(random, List.of("100-continue", "garbage"));
                case 7 -> "Forwarded: for=\"[::1\";host=evil;proto=gopher";
                case 8 -> "X-Forwarded-For: " + pick(random, List.of("10.0.0.1", "not-an-ip", "1.1.1.1, , ,", "::ffff:"));
                case 9 -> "Cookie: " + pick(random, List.of("a=\"b", "JSESSIONID=x; $Version=1", "=;=;"));
                case 10 -> "Range: bytes=" + pick(random, List.of("999999-", "a-b", "0-0,1-1,2-2", "-"));
                case 11 -> "If-Modified-Since: " + pick(random, List.of("yesterday", "Thu, 01 Jan 1970 00:00:00 GMT"));
                case 12 -> "If-None-Match: \"x";
                case 13 -> "Accept-Language: " + pick(random, List.of(";;;", "zz-ZZZZZZZZZ;q=2", "*;q=-1"));
                case 14 -> "Accept-Encoding: " + pick(random, List.of("gzip;q=x", "br, *;q=0"));
                case 15 -> "Origin: http://evil.example";
                case 16 -> "Access-Control-Request-Method: DELETE";
                case 17 -> "Authorization: Basic %%%";
                case 18 -> "Host: " + pick(random, List.of("a b", "[::1", "evil.example:99999"));
                case 19 -> "X-Many: " + "v,".repeat(random.nextInt(500));
                case 20 -> "Content-Encoding: gzip";
                default -> "X-Unicode: \u00e9\u00ff";
            });
        }
        if (chance(random, 0.03)) {
            for (int i = 0; i < 150; i++) {
                headers.add("X-H" + i + ": v");
            }
        }
        return headers;
    }

    /** The request on the wire: mostly well framed, sometimes chunked, truncated, overlong or contradictory. */
    private static byte[] frame(SplittableRandom random, String requestLine, List<String> headers, byte[] body) {
        String version = chance(random, 0.9) ? " HTTP/1.1"
                : pick(random, List.of(" HTTP/1.0", " HTTP/2.7", " HTTP/9.9", " HTTP/1.1x", "", " http/1.1", "  HTTP/1.1"));
        String eol = chance(random, 0.95) ? "\r\n" : "\n";
        StringBuilder head = new StringBuilder(requestLine).append(version).append(eol);
        if (chance(random, 0.97)) {
            head.append("Host: 127.0.0.1").append(eol);
        }
        head.append("Connection: close").append(eol);
        headers.forEach(header -> head.append(header).append(eol));
        byte[] payload = body;
        // Cases 0-8 break the framing; the rest (about two in three) frame the body as a client library would.
        switch (random.nextInt(24)) {
            case 0, 1 -> {
                head.append("Transfer-Encoding: chunked").append(eol);
                payload = chunked(random, body, true);
            }
            case 2 -> {
                head.append("Transfer-Encoding: chunked").append(eol);
                payload = chunked(random, body, false);
            }
            case 3 -> head.append("Transfer-Encoding: ").append(pick(random, List.of("gzip", "chunked, gzip", "identity",
                    "chunked, chunked"))).append(eol);
            case 4 -> head.append("Content-Length: ").append(body.length + 1 + random.nextInt(100)).append(eol);
            case 5 -> head.append("Content-Length: ").append(Math.max(0, body.length - 1 - random.nextInt(10))).append(eol);
            case 6 -> head.append("Content-Length: ").append(pick(random, List.of("-1", "abc", "1e3", "99999999999999999999",
                    body.length + ", " + (body.length + 1)))).append(eol);
            case 7 -> head.append("Content-Length: ").append(body.length).append(eol)
                    .append("Transfer-Encoding: chunked").append(eol);
            case 8 -> { // no framing at all: the body is left over after the request
            }
            default -> {
                if (body.length > 0 || chance(random, 0.5)) {
                    head.append("Content-Length: ").append(body.length).append(eol);
                }
            }
        }
        head.append(eol);
        return concat(head.toString().getBytes(StandardCharsets.ISO_8859_1), payload);
    }

    private static byte[] chunked(SplittableRandom random, byte[] body, boolean wellFormed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < body.length) {
            int size = Math.min(body.length - at, 1 + random.nextInt(4096));
            out.writeBytes((Integer.toHexString(size) + (chance(random, 0.1) ? ";ext=1" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, size);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            at += size;
        }
        if (wellFormed) {
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            out.writeBytes(pick(random, List.of("zz\r\nabc\r\n", "5\r\nab", "ffffffffffffffff\r\n", "0\r\nX-Trailer: \u0001\r\n\r\n"))
                    .getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] all = new byte[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
