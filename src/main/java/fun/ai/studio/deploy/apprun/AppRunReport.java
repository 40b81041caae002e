package fun.ai.studio.deploy.apprun;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The Runner's report of a deployment job; {@code status} is checked against {@link JobStatus}. */
public record AppRunReport(
        @Size(max = 128, message = "must be at most 128 characters") String jobId,
        @NotNull(message = "is required; one of " + JobStatus.ALLOWED)
        @Pattern(regexp = JobStatus.PATTERN,
                message = "must be one of " + JobStatus.ALLOWED + " (any case)")
        String status,
        String error) {
}
