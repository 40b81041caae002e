package fun.ai.studio.deploy.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A scrape in the Prometheus text exposition format (0.0.4), parsed: every sample with its name, labels and
 * value, and the declared type of every family. Malformed lines fail the parse, so a test reading a value also
 * proves the scrape is well formed.
 */
public final class PrometheusText {

    /** One sample line: {@code name{label="value",...} value [timestamp]}. */
    public record Sample(String name, Map<String, String> labels, double value) {

        /** True when every given label is present with the given value (others may be present too). */
        public boolean hasLabels(Map<String, String> wanted) {
            return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        }
    }

    private final List<Sample> samples;
    private final Map<String, String> types;

    private PrometheusText(List<Sample> samples, Map<String, String> types) {
        this.samples = samples;
        this.types = types;
    }

    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                if (line.startsWith("#")) {
                    String[] parts = line.split(" ", 4);
                    if (parts.length >= 4 && parts[1].equals("TYPE")) {
                        types.put(parts[2], parts[3].trim());
                    }
                    continue;
                }
                samples.add(new LineParser(line).sample());
            } catch (RuntimeException e) {
                throw new AssertionError("line " + lineNumber + " of the scrape is not in the text format: " + line, e);
            }
        }
        return new PrometheusText(samples, types);
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The declared type ({@code counter}, {@code gauge}, {@code summary}, ...) of a family, or null. */
    public String type(String family) {
        return types.get(family);
    }

    /** Every sample of this name carrying at least these labels (given as name, value, name, value, ...). */
    public List<Sample> find(String name, String... labels) {
        Map<String, String> wanted = labelMap(labels);
        return samples.stream().filter(s -> s.name().equals(name) && s.hasLabels(wanted)).toList();
    }

    /** The value of the one sample of this name with exactly these labels, if there is one. */
    public OptionalDouble value(String name, String... labels) {
        Map<String, String> wanted = labelMap(labels);
        List<Sample> matching = samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().equals(wanted)).toList();
        if (matching.size() > 1) {
            throw new AssertionError("more than one sample " + name + wanted + ": " + matching);
        }
        return matching.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(matching.get(0).value());
    }

    /**
     * A counter's value, 0 when the series does not exist yet (Micrometer creates tagged counters on first
     * use), so deltas can be taken from any scrape.
     */
    public double counter(String name, String... labels) {
        return value(name, labels).orElse(0);
    }

    /** A gauge's value; fails when the series is absent. */
    public double gauge(String name, String... labels) {
        return value(name, labels).orElseThrow(() -> new AssertionError("no gauge " + name + labelMap(labels)
                + " in the scrape; present: " + samples.stream().filter(s -> s.name().equals(name)).toList()));
    }

    private static Map<String, String> labelMap(String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            map.put(labels[i], labels[i + 1]);
        }
        return map;
    }

    /** Reads one sample line character by character, honouring the escapes of label values. */
    private static final class LineParser {

        private final String line;
        private int at;

        LineParser(String line) {
            this.line = line;
        }

        Sample sample() {
            String name = name();
            Map<String, String> labels = new LinkedHashMap<>();
            if (peek() == '{') {
                at++;
                while (peek() != '}') {
                    String label = name();
                    expect('=');
                    labels.put(label, quoted());
                    if (peek() == ',') {
                        at++;
                    } else if (peek() != '}') {
                        throw new IllegalArgumentException("expected , or } at " + at);
                    }
                }
                at++;
            }
            expect(' ');
            String[] rest = line.substring(at).trim().split(" ");
            if (rest.length > 2) {
                throw new IllegalArgumentException("unexpected text after the value");
            }
            if (rest.length == 2) {
                Long.parseLong(rest[1]);
            }
            return new Sample(name, labels, number(rest[0]));
        }

        private String name() {
            int start = at;
            while (at < line.length() && (Character.isLetterOrDigit(line.charAt(at)) || line.charAt(at) == '_'
                    || line.charAt(at) == ':')) {
                at++;
            }
            if (at == start || Character.isDigit(line.charAt(start))) {
                throw new IllegalArgumentException("expected a name at " + start);
            }
            return line.substring(start, at);
        }

        private String quoted() {
            expect('"');
            StringBuilder value = new StringBuilder();
            while (true) {
                char c = line.charAt(at++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\') {
                    char escaped = line.charAt(at++);
                    switch (escaped) {
                        case 'n' -> value.append('\n');
                        case '\\' -> value.append('\\');
                        case '"' -> value.append('"');
                        default -> throw new IllegalArgumentException("bad escape \\" + escaped);
                    }
                } else {
                    value.append(c);
                }
            }
        }

        private char peek() {
            if (at >= line.length()) {
                throw new IllegalArgumentException("line ends early");
            }
            return line.charAt(at);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + at);
            }
            at++;
        }

        private static double number(String text) {
            return switch (text) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(text);
            };
        }
    }
}
