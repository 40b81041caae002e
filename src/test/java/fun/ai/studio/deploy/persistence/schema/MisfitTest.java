package fun.ai.studio.deploy.persistence.schema;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MisfitTest {

    @Test
    void aQuotedValueDoublesQuotesAndEscapesWhatIsNotPrintableAscii() {
        assertThat(Misfit.quote("it's")).isEqualTo("'it''s'");
        assertThat(Misfit.quote("rt\r\nFORGED\u001b[31m é")).isEqualTo("'rt\\u000d\\u000aFORGED\\u001b[31m \\u00e9'");
    }

    @Test
    void aLongValueIsCutAndItsLengthGiven() {
        assertThat(Misfit.quote("a".repeat(200))).isEqualTo("'" + "a".repeat(80) + "'... (200 characters)");
    }

    @Test
    void aRefusalListsAtMostAHundredRowsAndEachInspectionQueryOnce() {
        java.util.List<Misfit> misfits = java.util.stream.IntStream.range(0, 130)
                .mapToObj(i -> new Misfit("t", "id", Integer.toString(i), "bad", "SELECT * FROM t WHERE bad"))
                .toList();
        String message = new EarlierTablesDoNotFit(misfits).getMessage();
        assertThat(message).startsWith("The earlier deploy service's tables cannot be taken over: 130 rows do not fit")
                .contains("t id=99: bad").doesNotContain("t id=100: bad").contains("... and 30 more")
                .contains("Nothing was changed");
        assertThat(message.split("SELECT \\* FROM t WHERE bad", -1)).hasSize(2);
    }
}
