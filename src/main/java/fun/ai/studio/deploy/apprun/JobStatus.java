package fun.ai.studio.deploy.apprun;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The deployment job states the Runner reports. {@code PENDING} is the earlier deploy service's name for a job
 * not yet started; its app-run rows carry it, so it is read and accepted like the others.
 */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, STOPPED, PENDING;

    /** The names, space separated, for messages and annotations (which need a constant). */
    public static final String ALLOWED = "QUEUED RUNNING SUCCEEDED FAILED CANCELLED STOPPED PENDING";

    /** Matches any name in any case. */
    public static final String PATTERN = "(?i)QUEUED|RUNNING|SUCCEEDED|FAILED|CANCELLED|STOPPED|PENDING";

    public static final List<String> NAMES = Arrays.stream(values()).map(Enum::name).toList();

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
