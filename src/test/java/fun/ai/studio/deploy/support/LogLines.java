package fun.ai.studio.deploy.support;

import java.util.regex.Pattern;

/** Recognises the lines of a logged stack trace, so tests can assert that client errors never produce one. */
public final class LogLines {

    /** A frame ({@code at org.example...}), an elided count, a cause, or a throwable's own first line. */
    private static final Pattern TRACE = Pattern.compile(
            "^\\s+at [a-z].*|^\\s+\\.\\.\\. \\d+ (common frames|more).*|^Caused by: .*|^([a-z][\\w$]*\\.)+[A-Z][\\w$]*(Exception|Error)(: .*)?$");

    private LogLines() {
    }

    public static boolean isTraceLine(String line) {
        return TRACE.matcher(line).matches();
    }
}
