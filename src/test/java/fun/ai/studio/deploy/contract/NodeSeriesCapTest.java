package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.PrometheusText;
import fun.ai.studio.deploy.support.PrometheusText.Sample;
import fun.ai.studio.deploy.support.TestIds;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy.metrics.max-node-series}: a fleet larger than the cap gets per-node placement series for the cap's
 * worth of nodes with the lowest ids and one {@code _other} series summing the rest, so the series still add up.
 */
@TestPropertySource(properties = "deploy.metrics.max-node-series=1000")
class NodeSeriesCapTest extends InMemoryContractTest {

    private static final String SERIES = "deploy_node_placements";

    @Test
    void aThousandAndFiveNodesGiveAThousandPerNodeSeriesAndOneForTheOtherFiveAndTheTotalsAddUp() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 1005; i++) {
            ids.add(client.heartbeat(TestIds.nodeName("fleet")).get("nodeId").longValue());
        }
        assertThat(client.nodes()).hasSize(1005);
        placeApps(ids.get(0), 3);
        placeApps(ids.get(999), 1);
        placeApps(ids.get(1000), 2);
        placeApps(ids.get(1004), 4);
        clock.advance(Duration.ofSeconds(5));
        // The first scrape takes the fleet reading; the per-node series it registers are there from the next one on.
        client.asAdmin().get("/actuator/prometheus");

        PrometheusText scrape = PrometheusText.parse(client.asAdmin().get("/actuator/prometheus").body());

        List<Sample> series = scrape.find(SERIES);
        List<Sample> perNode = series.stream().filter(sample -> !sample.labels().get("node").equals("_other")).toList();
        assertThat(perNode).hasSize(1000);
        assertThat(perNode).extracting(sample -> Long.parseLong(sample.labels().get("node_id")))
                .containsExactlyInAnyOrderElementsOf(ids.subList(0, 1000));
        assertThat(scrape.gauge(SERIES, "node_id", "_other", "node", "_other")).isEqualTo(6);
        assertThat(scrape.gauge(SERIES, "node_id", ids.get(0).toString(), "node",
                client.nodes().get(0).get("name").stringValue())).isEqualTo(3);
        assertThat(series.stream().mapToDouble(Sample::value).sum()).isEqualTo(10).isEqualTo(scrape.gauge("deploy_placements"));
        assertThat(scrape.gauge("deploy_nodes", "enabled", "true", "health", "healthy")).isEqualTo(1005);
    }

    private void placeApps(long nodeId, int count) {
        for (int i = 0; i < count; i++) {
            client.reassign(TestIds.appId("capped"), nodeId);
        }
    }
}
