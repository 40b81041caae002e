package fun.ai.studio.deploy.shared;

/**
 * The one way a value that came from a request (a path, a header, an address, a body, an exception message)
 * enters a log line: control characters are written as visible escapes, so the value can neither start a
 * forged line nor send terminal escape sequences, and an over-long value is cut with a marker giving its length.
 */
public final class LogSafe {

    /** Enough for any path, address or identifier an operator needs to recognise. */
    public static final int DEFAULT_LIMIT = 200;

    private LogSafe() {
    }

    /** The value, escaped and cut to {@value #DEFAULT_LIMIT} characters. */
    public static String of(Object value) {
        return of(value, DEFAULT_LIMIT);
    }

    /** The value, escaped and cut to {@code limit} characters; {@code null} stays the text {@code null}. */
    public static String of(Object value, int limit) {
        String text = String.valueOf(value);
        int kept = text.length() <= limit ? text.length() : limit;
        // Never split a surrogate pair: half a character would be written as garbage.
        if (kept < text.length() && kept > 0 && Character.isHighSurrogate(text.charAt(kept - 1))) {
            kept--;
        }
        StringBuilder out = new StringBuilder(kept + 16);
        for (int i = 0; i < kept; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                // Escaped too, so "\n" in the output always means an escaped line break, never a sent backslash-n.
                case '\\' -> out.append("\\\\");
                default -> {
                    if (needsEscape(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (kept < text.length()) {
            out.append("…(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }

    /**
     * C0 and C1 controls and DEL, Unicode line and paragraph separators (some log viewers break lines there),
     * and invisible format characters such as bidirectional overrides, which can make a line read differently
     * from what it holds.
     */
    private static boolean needsEscape(char c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT;
    }

    /**
     * A stand-in for {@code failure} for a log line: the same stack traces, but every message escaped, since a
     * message can quote the request (an invalid parameter, a path) and the log prints it unescaped above the trace.
     * Causes are copied the same way, at most {@value #MAX_CAUSES} deep, which also ends a cycle of causes.
     */
    public static Throwable throwable(Throwable failure) {
        return escaped(failure, 0);
    }

    private static final int MAX_CAUSES = 20;

    private static Throwable escaped(Throwable failure, int depth) {
        String text = failure.getMessage() == null ? failure.getClass().getName()
                : failure.getClass().getName() + ": " + of(failure.getMessage(), 1000);
        Throwable cause = failure.getCause() == null || depth == MAX_CAUSES ? null : escaped(failure.getCause(), depth + 1);
        EscapedFailure copy = new EscapedFailure(text, cause);
        copy.setStackTrace(failure.getStackTrace());
        return copy;
    }

    /** Carries the original's class name and escaped message; exists only to be logged. */
    private static final class EscapedFailure extends RuntimeException {

        EscapedFailure(String message, Throwable cause) {
            super(message, cause, false, true);
        }
    }
}
