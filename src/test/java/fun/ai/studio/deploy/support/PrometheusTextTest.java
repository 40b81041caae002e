package fun.ai.studio.deploy.support;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scrape parser the metrics tests rely on reads the text format exactly, escapes included. */
class PrometheusTextTest {

    private static final String SCRAPE = """
            # HELP deploy_heartbeats_total \s
            # TYPE deploy_heartbeats_total counter
            deploy_heartbeats_total{outcome="accepted"} 3.0
            deploy_heartbeats_total{outcome="invalid"} 1.0
            # TYPE deploy_node_placements gauge
            deploy_node_placements{node="a \\"quoted\\" name, with\\\\slash\\nand newline",node_id="7",} 2.0
            deploy_placements 5.0 1795835551123
            odd_value NaN
            up_inf +Inf
            """;

    @Test
    void samplesAreReadWithTheirLabelsValuesAndFamilyTypes() {
        PrometheusText text = PrometheusText.parse(SCRAPE);

        assertThat(text.samples()).hasSize(6);
        assertThat(text.counter("deploy_heartbeats_total", "outcome", "accepted")).isEqualTo(3.0);
        assertThat(text.counter("deploy_heartbeats_total", "outcome", "error")).as("absent counter").isZero();
        assertThat(text.type("deploy_heartbeats_total")).isEqualTo("counter");
        assertThat(text.type("deploy_node_placements")).isEqualTo("gauge");
        assertThat(text.gauge("deploy_node_placements", "node", "a \"quoted\" name, with\\slash\nand newline",
                "node_id", "7")).isEqualTo(2.0);
        assertThat(text.gauge("deploy_placements")).as("a timestamp after the value is not the value").isEqualTo(5.0);
        assertThat(text.gauge("odd_value")).isNaN();
        assertThat(text.gauge("up_inf")).isInfinite();
        assertThat(text.find("deploy_heartbeats_total")).hasSize(2);
        assertThat(text.samples().get(2).labels()).isEqualTo(Map.of("node", "a \"quoted\" name, with\\slash\nand newline",
                "node_id", "7"));
    }

    @Test
    void aValueIsMatchedOnExactlyItsLabels() {
        PrometheusText text = PrometheusText.parse(SCRAPE);

        assertThat(text.value("deploy_node_placements", "node_id", "7")).isEmpty();
        assertThatThrownBy(() -> text.gauge("deploy_node_placements", "node_id", "7")).isInstanceOf(AssertionError.class);
    }

    @Test
    void aMalformedLineFailsTheParseNamingIt() {
        assertThatThrownBy(() -> PrometheusText.parse("ok 1\nbroken{label=\"x} 1\n"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("line 2");
        assertThatThrownBy(() -> PrometheusText.parse("no_value\n")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> PrometheusText.parse("bad_value abc\n")).isInstanceOf(AssertionError.class);
    }
}
