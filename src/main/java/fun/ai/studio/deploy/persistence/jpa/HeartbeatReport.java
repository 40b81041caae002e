package fun.ai.studio.deploy.persistence.jpa;

import fun.ai.studio.deploy.node.Heartbeat;
import fun.ai.studio.deploy.node.RuntimeNode;

import java.time.Instant;

/**
 * What one heartbeat of a known node reported: its time and its figures. A null figure was left out of the
 * heartbeat and is written as NULL (the last report wins); a node with nothing to write has no report at all.
 * "Newest" means the latest heartbeat time, as the instance that took it stamped it; of two reports of the same
 * millisecond the one taken first stays, in memory as in the database.
 */
record HeartbeatReport(Instant at, Double diskFreePct, Long diskFreeBytes, Integer containerCount) {

    static HeartbeatReport of(Heartbeat heartbeat, Instant at) {
        return new HeartbeatReport(at, heartbeat.diskFreePct(), heartbeat.diskFreeBytes(), heartbeat.containerCount());
    }

    /** The newer of a report already taken and one arriving; the one taken when both have the same time. */
    static HeartbeatReport newer(HeartbeatReport taken, HeartbeatReport arriving) {
        return arriving.at.isAfter(taken.at) ? arriving : taken;
    }

    boolean isNewerThan(RuntimeNode node) {
        return node.lastHeartbeatAt() == null || at.isAfter(node.lastHeartbeatAt());
    }

    RuntimeNode appliedTo(RuntimeNode node) {
        return new RuntimeNode(node.id(), node.name(), node.agentBaseUrl(), node.gatewayBaseUrl(), node.enabled(),
                node.weight(), at, diskFreePct, diskFreeBytes, containerCount);
    }
}
