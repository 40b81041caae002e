package fun.ai.studio.deploy.placement;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

public record DrainRequest(
        @NotNull(message = "is required") Long sourceNodeId,
        @NotNull(message = "is required") Long targetNodeId,
        @Min(value = 1, message = "must be between 1 and 2000") @Max(value = 2000, message = "must be between 1 and 2000")
        Integer limit) {

    static final int DEFAULT_LIMIT = 100;

    int limitOrDefault() {
        return limit == null ? DEFAULT_LIMIT : limit;
    }
}
