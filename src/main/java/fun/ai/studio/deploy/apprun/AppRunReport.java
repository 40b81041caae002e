package fun.ai.studio.deploy.apprun;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The Runner's report of a deployment job; {@code status} is checked against {@link JobStatus}. */
public record AppRunReport(
        @Size(max = 128, message = "must be at most 128 characters") String jobId,
        @NotNull(message = "is required; one of QUEUED RUNNING SUCCEEDED FAILED CANCELLED STOPPED")
        @Pattern(regexp = "(?i)QUEUED|RUNNING|SUCCEEDED|FAILED|CANCELLED|STOPPED",
                message = "must be one of QUEUED RUNNING SUCCEEDED FAILED CANCELLED STOPPED (any case)")
        String status,
        String error) {
}
