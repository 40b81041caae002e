package fun.ai.studio.deploy.shared;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class LogSafeTest {

    @Test
    void lineBreaksTabsAndBackslashesAreWrittenAsEscapes() {
        assertThat(LogSafe.of("a\r\nb\tc\\n")).isEqualTo("a\\r\\nb\\tc\\\\n");
    }

    @Test
    void otherControlCharactersBecomeUnicodeEscapes() {
        String esc = "\u001b[31mred\u001b[0m";
        String c1AndDel = "x\u0085y\u009bz\u007f\u0000";

        assertThat(LogSafe.of(esc)).isEqualTo("\\u001b[31mred\\u001b[0m");
        assertThat(LogSafe.of(c1AndDel)).isEqualTo("x\\u0085y\\u009bz\\u007f\\u0000");
    }

    @Test
    void unicodeLineSeparatorsAndBidiOverridesAreEscapedButOrdinaryTextIsKept() {
        assertThat(LogSafe.of("a\u2028b\u2029c\u202ed")).isEqualTo("a\\u2028b\\u2029c\\u202ed");
        assertThat(LogSafe.of("节点 rt-01 ünïcode 😀")).isEqualTo("节点 rt-01 ünïcode 😀");
    }

    @Test
    void aLongValueIsCutWithAMarkerGivingItsLength() {
        String cut = LogSafe.of("p".repeat(4096));

        assertThat(cut).isEqualTo("p".repeat(200) + "…(4096 chars)");
        assertThat(LogSafe.of("p".repeat(200))).isEqualTo("p".repeat(200));
        assertThat(LogSafe.of("p".repeat(10), 4)).isEqualTo("pppp…(10 chars)");
    }

    @Test
    void theCutNeverSplitsASurrogatePair() {
        String value = "p".repeat(199) + "😀" + "tail";

        assertThat(LogSafe.of(value)).isEqualTo("p".repeat(199) + "…(205 chars)");
    }

    @Test
    void nullIsWrittenAsNull() {
        assertThat(LogSafe.of(null)).isEqualTo("null");
    }

    @Test
    void aFailureIsCopiedWithEscapedMessagesAndTheSameStackTraces() {
        IllegalStateException cause = new IllegalStateException("bad value [x\r\nFORGED]");
        RuntimeException failure = new RuntimeException("outer\u001b", cause);

        Throwable copy = LogSafe.throwable(failure);
        StringWriter printed = new StringWriter();
        copy.printStackTrace(new PrintWriter(printed));

        assertThat(copy.getMessage()).isEqualTo("java.lang.RuntimeException: outer\\u001b");
        assertThat(copy.getCause().getMessage()).isEqualTo("java.lang.IllegalStateException: bad value [x\\r\\nFORGED]");
        assertThat(copy.getStackTrace()).isEqualTo(failure.getStackTrace());
        assertThat(copy.getCause().getStackTrace()).isEqualTo(cause.getStackTrace());
        assertThat(printed.toString().lines()).noneMatch(line -> line.startsWith("FORGED")).noneMatch(line -> line.contains("\u001b"));
    }

    @Test
    void aFailureWithoutAMessageKeepsItsClassName() {
        assertThat(LogSafe.throwable(new NullPointerException()).getMessage()).isEqualTo("java.lang.NullPointerException");
    }
}
