package fun.ai.studio.deploy.support;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class LogLinesTest {

    @Test
    void everyLineOfAPrintedStackTraceIsRecognised() {
        StringWriter printed = new StringWriter();
        new IllegalStateException("outer", new java.io.UncheckedIOException("inner", new java.io.IOException("root")))
                .printStackTrace(new PrintWriter(printed));

        assertThat(printed.toString().lines()).isNotEmpty().allMatch(LogLines::isTraceLine);
    }

    @Test
    void ordinaryLogLinesAreNot() {
        assertThat(LogLines.isTraceLine("2026-12-01T15:23:33.608Z  INFO 16911 --- [main] f.a.s.deploy.web.GlobalExceptionHandler"
                + "  : refused GET /x: unreadable query parameters")).isFalse();
        assertThat(LogLines.isTraceLine("refused GET /admin/at x from 127.0.0.1")).isFalse();
    }
}
