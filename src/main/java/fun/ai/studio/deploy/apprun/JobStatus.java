package fun.ai.studio.deploy.apprun;

import java.util.Locale;
import java.util.Optional;

/** The deployment job states the Runner reports. */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, STOPPED;

    /** Parses case-insensitively; empty for anything else. */
    public static Optional<JobStatus> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(value.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
