package fun.ai.studio.deploy.docs;

import fun.ai.studio.deploy.support.TestTokens;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Replays docs/api-by-example.md against a fresh instance: every {@code curl} block of the page, in the page's
 * order, with the settings the page lists, and compares each answer with the JSON printed under it. The page is
 * the only source of the requests and the expected answers, so a page that no longer tells the truth fails the
 * build, naming the block. curl itself is not needed: the test reads the command line and sends the same request
 * with Java's HTTP client.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        TestTokens.ADMIN_PROPERTY, TestTokens.NODE_PROPERTY, TestTokens.INTERNAL_PROPERTY})
// The page starts from an empty store (node ids and audit ids count from 1), so never a context used before.
@DirtiesContext(classMode = DirtiesContext.ClassMode.BEFORE_CLASS)
class ApiByExampleTest {

    static final Path PAGE = Path.of("docs", "api-by-example.md");

    /**
     * The only values not compared: times, which differ from run to run. A field of one of these names, at any
     * depth, must still be present, and null exactly where the page prints null. Nothing else is left out, ids
     * included: on a fresh instance they are the same on every run.
     */
    static final Set<String> TIME_FIELDS = Set.of("lastHeartbeatAt", "lastHeartbeatAtMs", "lastActiveAt",
            "lastDeployedAt", "at", "timestamp", "movedAt");

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    @LocalServerPort
    int port;

    /** The page's ```properties block is the configuration: the examples hold only under it. */
    @DynamicPropertySource
    static void settingsThePageAssumes(DynamicPropertyRegistry registry) throws IOException {
        Page.read(PAGE).settings().forEach((name, value) -> registry.add(name, () -> value));
    }

    @TestFactory
    Stream<DynamicTest> everyExampleAnswersAsThePagePrintsIt() throws IOException {
        String base = "http://127.0.0.1:" + port;
        Map<String, String> variables = Map.of("BASE", base, "ADMIN_TOKEN", TestTokens.ADMIN,
                "NODE_TOKEN", TestTokens.NODE, "DEPLOY_SECRET", TestTokens.INTERNAL);
        List<Example> examples = Page.read(PAGE).examples();
        assertThat(examples).as("curl examples in %s", PAGE).isNotEmpty();
        // HTTP/1.1 as curl speaks it; the default HTTP/2 attempt would add an h2c upgrade to each request.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        // Every block is read before any is sent, so a block the test cannot replay stops it before the first call.
        List<Curl> curls = examples.stream().map(example -> Curl.parse(example, variables)).toList();
        // Dynamic tests run in the stream's order, one after the other: each example sees what the earlier ones did.
        return IntStream.range(0, examples.size()).mapToObj(i -> DynamicTest.dynamicTest(
                examples.get(i).name() + ": " + curls.get(i).method() + " " + curls.get(i).pathFrom(base),
                () -> replay(http, examples.get(i), curls.get(i), base)));
    }

    private static void replay(HttpClient http, Example example, Curl curl, String base)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(curl.request(), HttpResponse.BodyHandlers.ofString());
        String block = example.name() + " (" + curl.method() + " " + curl.pathFrom(base) + ")";
        JsonNode expected = example.answer();
        JsonNode actual;
        try {
            actual = JSON.readTree(response.body());
        } catch (JacksonException e) {
            throw new AssertionError(block + " answered HTTP " + response.statusCode() + " with a body that is not "
                    + "JSON: " + response.body());
        }
        List<String> differences = new ArrayList<>();
        int expectedStatus = expectedStatus(expected);
        if (response.statusCode() != expectedStatus) {
            differences.add("HTTP status: the page says " + expectedStatus + ", the service answered "
                    + response.statusCode());
        }
        compare("$", expected, actual, differences);
        if (!differences.isEmpty()) {
            fail(block + " answered differently from the page:\n  - " + String.join("\n  - ", differences)
                    + "\n  the answer was: " + response.body());
        }
    }

    /** The envelope's code is the HTTP status; an answer without the envelope (actuator) is a 200 on the page. */
    private static int expectedStatus(JsonNode expected) {
        JsonNode code = expected.path("code");
        return expected.isObject() && code.isIntegralNumber() ? code.intValue() : 200;
    }

    private static void compare(String path, JsonNode expected, JsonNode actual, List<String> differences) {
        if (expected.isObject()) {
            if (!actual.isObject()) {
                differences.add(path + ": the page shows an object, the service answered " + actual);
                return;
            }
            Set<String> missing = new TreeSet<>(expected.propertyNames());
            missing.removeAll(actual.propertyNames());
            Set<String> extra = new TreeSet<>(actual.propertyNames());
            extra.removeAll(expected.propertyNames());
            missing.forEach(name -> differences.add(path + "." + name + ": on the page, not in the answer"));
            extra.forEach(name -> differences.add(path + "." + name + ": in the answer (" + actual.get(name)
                    + "), not on the page"));
            for (String name : expected.propertyNames()) {
                if (!actual.has(name)) {
                    continue;
                }
                JsonNode want = expected.get(name);
                JsonNode got = actual.get(name);
                if (TIME_FIELDS.contains(name)) {
                    if (want.isNull() != got.isNull()) {
                        differences.add(path + "." + name + ": the page shows " + want + ", the service answered "
                                + got + " (a time: only null or not is compared)");
                    }
                } else {
                    compare(path + "." + name, want, got, differences);
                }
            }
        } else if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                differences.add(path + ": the page shows " + expected.size() + " elements " + expected
                        + ", the service answered " + actual);
                return;
            }
            for (int i = 0; i < expected.size(); i++) {
                compare(path + "[" + i + "]", expected.get(i), actual.get(i), differences);
            }
        } else if (expected.isNumber()) {
            // 71.5 and 71.50, or 1 as an int and as a long, are the same number on the wire.
            if (!actual.isNumber() || expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
                differences.add(path + ": the page shows " + expected + ", the service answered " + actual);
            }
        } else if (!expected.equals(actual)) {
            differences.add(path + ": the page shows " + expected + ", the service answered " + actual);
        }
    }

    /** A curl block of the page and the answer printed under it. */
    record Example(String name, String command, JsonNode answer) {
    }

    /** The page read as fenced blocks: its settings and its examples, in order. */
    record Page(Map<String, String> settings, List<Example> examples) {

        private record Block(String language, int line, String heading, String text) {
        }

        static Page read(Path file) throws IOException {
            List<Block> blocks = blocks(file);
            Map<String, String> settings = new LinkedHashMap<>();
            List<Example> examples = new ArrayList<>();
            boolean settingsRead = false;
            for (int i = 0; i < blocks.size(); i++) {
                Block block = blocks.get(i);
                String where = file + " line " + block.line();
                if (block.language().equals("properties") && !settingsRead) {
                    settingsRead = true;
                    for (String line : block.text().split("\n")) {
                        if (!line.isBlank() && !line.startsWith("#")) {
                            int equals = line.indexOf('=');
                            if (equals <= 0) {
                                throw new IllegalStateException(where + ": not a name=value setting: " + line);
                            }
                            settings.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
                        }
                    }
                } else if (block.language().equals("bash") && block.text().contains("curl")) {
                    if (!block.text().strip().startsWith("curl ")) {
                        throw new IllegalStateException(where + ": a bash block with curl must be one curl command");
                    }
                    Block next = i + 1 < blocks.size() ? blocks.get(i + 1) : null;
                    if (next == null || !next.language().equals("json")) {
                        throw new IllegalStateException(where + ": a curl block must be followed by a json block "
                                + "with its answer");
                    }
                    String name = "block " + (examples.size() + 1) + " at line " + block.line() + " ('"
                            + block.heading() + "')";
                    try {
                        examples.add(new Example(name, block.text(), JSON.readTree(next.text())));
                    } catch (JacksonException e) {
                        throw new IllegalStateException(file + " line " + next.line() + ": the answer is not one "
                                + "JSON value: " + e.getOriginalMessage());
                    }
                    i++;
                } else if (block.language().equals("json")) {
                    throw new IllegalStateException(where + ": a json block that no curl block precedes: every "
                            + "answer on this page is replayed");
                }
            }
            if (settings.isEmpty()) {
                throw new IllegalStateException(file + " has no ```properties block with the settings it assumes");
            }
            return new Page(settings, examples);
        }

        private static List<Block> blocks(Path file) throws IOException {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<Block> blocks = new ArrayList<>();
            String heading = "";
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("```")) {
                    int start = i;
                    StringBuilder text = new StringBuilder();
                    for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                        text.append(lines.get(i)).append('\n');
                    }
                    blocks.add(new Block(line.substring(3).strip(), start + 1, heading, text.toString()));
                } else if (line.startsWith("#")) {
                    heading = line.replaceFirst("^#+\\s*", "");
                }
            }
            return blocks;
        }
    }

    /** One curl command line, read as a POSIX shell would, then as curl would. */
    record Curl(String method, String url, Map<String, String> headers, String body) {

        private static final String SHELL_SPECIALS = "|&;<>()`*?[]{}~";

        static Curl parse(Example example, Map<String, String> variables) {
            List<String> words = words(example.command(), variables, example.name());
            String method = null;
            String url = null;
            String body = null;
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < words.size(); i++) {
                String word = words.get(i);
                switch (word) {
                    case "-s", "--silent" -> {
                    }
                    case "-X", "--request" -> method = argument(words, ++i, example);
                    case "-H", "--header" -> {
                        String header = argument(words, ++i, example);
                        int colon = header.indexOf(':');
                        if (colon <= 0) {
                            throw new IllegalStateException(example.name() + ": header without a name: " + header);
                        }
                        headers.put(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
                    }
                    case "-d", "--data", "--data-raw" -> {
                        body = argument(words, ++i, example);
                        if (body.startsWith("@") && !word.equals("--data-raw")) {
                            throw new IllegalStateException(example.name() + ": a body read from a file is not "
                                    + "replayed; write it out");
                        }
                    }
                    default -> {
                        if (word.startsWith("-") || url != null) {
                            throw new IllegalStateException(example.name() + ": '" + word + "' is not an option the "
                                    + "test replays (only -s, -X, -H, -d and one URL)");
                        }
                        url = word;
                    }
                }
            }
            if (url == null || !url.startsWith(variables.get("BASE") + "/")) {
                throw new IllegalStateException(example.name() + ": the URL must start with $BASE/, not " + url);
            }
            // As curl does: -d makes a POST, and a form post unless a Content-Type is given.
            if (method == null) {
                method = body == null ? "GET" : "POST";
            }
            if (body != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
                headers.put("Content-Type", "application/x-www-form-urlencoded");
            }
            if (headers.keySet().stream().noneMatch("Accept"::equalsIgnoreCase)) {
                headers.put("Accept", "*/*");
            }
            return new Curl(method, url, headers, body);
        }

        String pathFrom(String base) {
            return url.substring(base.length());
        }

        HttpRequest request() {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            headers.forEach(request::header);
            return request.build();
        }

        private static String argument(List<String> words, int index, Example example) {
            if (index >= words.size()) {
                throw new IllegalStateException(example.name() + ": " + words.get(index - 1) + " without its value");
            }
            return words.get(index);
        }

        /**
         * Splits the command into words with the shell's quoting: single quotes keep everything, double quotes
         * expand variables and let a backslash escape $ " \ and a newline, a backslash before a newline joins lines.
         * Anything a single command does not need (pipes, redirections, globs, command substitution) is refused,
         * so no block can run more than its curl.
         */
        private static List<String> words(String command, Map<String, String> variables, String block) {
            List<String> words = new ArrayList<>();
            StringBuilder word = null;
            String text = command.strip();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    if (word != null) {
                        words.add(word.toString());
                        word = null;
                    }
                    i++;
                    continue;
                }
                if (word == null) {
                    word = new StringBuilder();
                }
                if (c == '\\') {
                    if (i + 1 >= text.length()) {
                        throw new IllegalStateException(block + ": the command ends with a backslash");
                    }
                    if (text.charAt(i + 1) != '\n') {
                        word.append(text.charAt(i + 1));
                    } else if (word.isEmpty()) {
                        word = null;
                    }
                    i += 2;
                } else if (c == '\'') {
                    int end = text.indexOf('\'', i + 1);
                    if (end < 0) {
                        throw new IllegalStateException(block + ": unterminated single quote");
                    }
                    word.append(text, i + 1, end);
                    i = end + 1;
                } else if (c == '"') {
                    i = doubleQuoted(text, i + 1, word, variables, block);
                } else if (c == '$') {
                    i = variable(text, i, word, variables, block);
                } else if (SHELL_SPECIALS.indexOf(c) >= 0 || (c == '#' && word.isEmpty())) {
                    throw new IllegalStateException(block + ": '" + c + "' outside quotes: only one plain curl "
                            + "command is replayed");
                } else {
                    word.append(c);
                    i++;
                }
            }
            if (word != null) {
                words.add(word.toString());
            }
            if (words.isEmpty() || !words.get(0).equals("curl")) {
                throw new IllegalStateException(block + ": not a curl command");
            }
            return words;
        }

        private static int doubleQuoted(String text, int from, StringBuilder word, Map<String, String> variables,
                                        String block) {
            int i = from;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '"') {
                    return i + 1;
                }
                if (c == '\\' && i + 1 < text.length() && "$\"\\\n`".indexOf(text.charAt(i + 1)) >= 0) {
                    if (text.charAt(i + 1) != '\n') {
                        word.append(text.charAt(i + 1));
                    }
                    i += 2;
                } else if (c == '$') {
                    i = variable(text, i, word, variables, block);
                } else if (c == '`') {
                    throw new IllegalStateException(block + ": command substitution is not replayed");
                } else {
                    word.append(c);
                    i++;
                }
            }
            throw new IllegalStateException(block + ": unterminated double quote");
        }

        /** Expands $NAME or ${NAME} at {@code from}; only the page's variables exist. */
        private static int variable(String text, int from, StringBuilder word, Map<String, String> variables,
                                    String block) {
            boolean braced = from + 1 < text.length() && text.charAt(from + 1) == '{';
            int start = from + (braced ? 2 : 1);
            int end = start;
            while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
                end++;
            }
            String name = text.substring(start, end);
            if (braced && (end >= text.length() || text.charAt(end) != '}')) {
                throw new IllegalStateException(block + ": ${" + name + " is not a plain variable");
            }
            String value = variables.get(name);
            if (value == null) {
                throw new IllegalStateException(block + ": $" + name + " is not one of the page's variables "
                        + variables.keySet());
            }
            word.append(value);
            return braced ? end + 1 : end;
        }
    }
}
