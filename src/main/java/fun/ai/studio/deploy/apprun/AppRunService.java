package fun.ai.studio.deploy.apprun;

import fun.ai.studio.deploy.shared.InvalidRequestException;
import fun.ai.studio.deploy.shared.NotFoundException;
import fun.ai.studio.deploy.shared.Texts;

import fun.ai.studio.deploy.node.RuntimeNode;
import fun.ai.studio.deploy.node.RuntimeNodeService;
import fun.ai.studio.deploy.placement.PendingRedeploy;
import fun.ai.studio.deploy.placement.Placement;
import fun.ai.studio.deploy.placement.PlacementRepository;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.Optional;

/** Records the last known deployment result of each app and answers what is known about an app. */
@Service
public class AppRunService {

    static final int MAX_ERROR_LENGTH = 4_000;

    private final AppRunRepository runs;
    private final PlacementRepository placements;
    private final RuntimeNodeService nodes;
    private final Clock clock;

    public AppRunService(AppRunRepository runs, PlacementRepository placements, RuntimeNodeService nodes, Clock clock) {
        this.runs = runs;
        this.placements = placements;
        this.nodes = nodes;
        this.clock = clock;
    }

    public AppRun report(String appId, AppRunReport report) {
        JobStatus status = JobStatus.parse(report.status())
                .orElseThrow(() -> new InvalidRequestException("status must be one of " + JobStatus.ALLOWED));
        long nowMs = clock.millis();
        Long nodeId = placements.find(appId).map(Placement::nodeId).orElse(null);
        String error = Texts.cut(report.error(), MAX_ERROR_LENGTH);
        AppRun saved = runs.save(new AppRun(appId, nodeId, report.jobId(), status.name(), error,
                status == JobStatus.SUCCEEDED ? nowMs : null, nowMs));
        placements.touch(appId, nowMs);
        if (status == JobStatus.SUCCEEDED && nodeId != null) {
            placements.redeployed(appId, nodeId);
        }
        return saved;
    }

    public AppStatusView status(String appId) {
        Optional<Placement> placement = placements.find(appId);
        Optional<AppRun> run = runs.find(appId);
        if (placement.isEmpty() && run.isEmpty()) {
            throw new NotFoundException("app '" + appId + "' has neither a placement nor a recorded run");
        }
        AppStatusView.PlacementInfo info = placement.map(p -> new AppStatusView.PlacementInfo(p.nodeId(),
                nodes.findById(p.nodeId()).map(RuntimeNode::name).orElse(null), p.lastActiveAt())).orElse(null);
        Optional<PendingRedeploy> move = placements.findPendingRedeploy(appId);
        return new AppStatusView(appId, info, run.orElse(null), placement.map(Placement::nodeId).orElse(null),
                move.isPresent(), move.orElse(null));
    }
}
