package fun.ai.studio.deploy.shared;

/** The app's placement cannot be served or changed as asked now: its node is unusable and failover may not move it, the target cannot take apps, or other callers keep moving it. */
public class PlacementConflictException extends ConflictException {

    public PlacementConflictException(String message) {
        super(message);
    }
}
