package fun.ai.studio.deploy.placement;

import java.util.Locale;

/** Why an app moves; the change log records it with each move ({@link #wire()}). */
public enum MoveReason {
    /** An operator reassigned the app ({@code PlacementRepository.assign}). */
    REASSIGN,
    DRAIN,
    FAILOVER;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
