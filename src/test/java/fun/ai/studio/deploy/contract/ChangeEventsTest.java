package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.shared.NodeChanged;
import fun.ai.studio.deploy.shared.PlacementChanged;
import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.TestIds;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every change made through the API is published once, after it is stored, with what a subscriber needs: the
 * kind, the node or app, from and to, and the time. A refused call publishes nothing.
 */
@Import(ChangeEventsTest.Recorder.class)
class ChangeEventsTest extends InMemoryContractTest {

    @TestConfiguration
    static class Recorder {

        final List<Object> events = new CopyOnWriteArrayList<>();

        @EventListener
        void node(NodeChanged change) {
            events.add(change);
        }

        @EventListener
        void placement(PlacementChanged change) {
            events.add(change);
        }
    }

    @Autowired
    Recorder recorder;

    @BeforeEach
    void forgetEarlierEvents() {
        recorder.events.clear();
    }

    private long heartbeat(String name) {
        return client.heartbeat(name).get("nodeId").longValue();
    }

    @Test
    void heartbeatsPublishRegisteredThenHeartbeatThenUrlsChanged() {
        String name = TestIds.nodeName("events");
        long id = heartbeat(name);
        heartbeat(name);
        Map<String, Object> moved = DeployClient.heartbeatBody(name);
        moved.put("agentBaseUrl", "http://10.9.9.9:7005");
        client.asNode().post(DeployClient.HEARTBEAT, moved).ok();

        assertThat(recorder.events).containsExactly(
                new NodeChanged(NodeChanged.Kind.REGISTERED, id, name, now()),
                new NodeChanged(NodeChanged.Kind.HEARTBEAT, id, name, now()),
                new NodeChanged(NodeChanged.Kind.URLS_CHANGED, id, name, now()));
    }

    @Test
    void operatorsChangesPublishUpdatedDisabledAndEnabledWithTheNodesId() {
        String name = TestIds.nodeName("events-op");
        long id = client.upsert(Map.of("name", name, "agentBaseUrl", "http://10.0.0.1:7005",
                "gatewayBaseUrl", "http://10.0.0.1:8080")).get("nodeId").longValue();
        client.setEnabled(name, false);
        client.setEnabled(name, true);

        assertThat(recorder.events).containsExactly(
                new NodeChanged(NodeChanged.Kind.UPDATED, id, name, now()),
                new NodeChanged(NodeChanged.Kind.DISABLED, id, name, now()),
                new NodeChanged(NodeChanged.Kind.ENABLED, id, name, now()));
    }

    @Test
    void placementsPublishCreatedReassignedAndDrainedWithFromAndTo() {
        long first = heartbeat(TestIds.nodeName("events-a"));
        String appId = TestIds.appId("events");
        long placedOn = client.ensure(appId).get("nodeId").longValue();
        long other = heartbeat(TestIds.nodeName("events-b"));
        long target = placedOn == first ? other : first;
        client.ensure(appId);
        client.reassign(appId, target);
        client.drain(target, placedOn, null);
        client.drain(target, placedOn, null);

        List<Object> placements = recorder.events.stream().filter(PlacementChanged.class::isInstance).toList();
        assertThat(placements).containsExactly(
                PlacementChanged.ofApp(PlacementChanged.Kind.CREATED, appId, null, placedOn, now()),
                PlacementChanged.ofApp(PlacementChanged.Kind.REASSIGNED, appId, placedOn, target, now()),
                new PlacementChanged(PlacementChanged.Kind.DRAINED, null, target, Map.of(placedOn, 1), now()),
                new PlacementChanged(PlacementChanged.Kind.DRAINED, null, target, Map.of(), now()));
    }

    @Test
    void aRefusedCallPublishesNothing() {
        assertThat(client.asRunner().post(DeployClient.ENSURE, Map.of("appId", TestIds.appId("homeless"))).status())
                .isEqualTo(503);
        assertThat(client.asAdmin().post(DeployClient.SET_ENABLED + "?name=" + TestIds.nodeName("nobody")
                + "&enabled=false").status()).isEqualTo(404);

        assertThat(recorder.events).isEmpty();
    }
}
