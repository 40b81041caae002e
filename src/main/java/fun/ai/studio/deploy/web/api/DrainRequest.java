package fun.ai.studio.deploy.web.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** Without {@code targetNodeId} each app is re-placed by the strategy; {@code dryRun} only plans. */
record DrainRequest(
        @NotNull(message = "is required") Long sourceNodeId,
        Long targetNodeId,
        @Min(value = 1, message = "must be between 1 and 2000") @Max(value = 2000, message = "must be between 1 and 2000")
        Integer limit,
        Boolean dryRun) {

    static final int DEFAULT_LIMIT = 100;

    int limitOrDefault() {
        return limit == null ? DEFAULT_LIMIT : limit;
    }

    boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }
}
