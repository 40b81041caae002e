package fun.ai.studio.deploy.web.api;

import fun.ai.studio.deploy.node.NodeUpsert;
import fun.ai.studio.deploy.shared.HttpUrl;
import fun.ai.studio.deploy.shared.Identifiers;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** An operator's create-or-update of a node; {@code enabled} and {@code weight} are optional. */
record NodeUpsertRequest(
        @NotNull(message = "is required") @Pattern(regexp = Identifiers.NODE_NAME_REGEX, message = "must be " + Identifiers.NODE_NAME_RULE)
        String name,
        @NotNull(message = "is required") @HttpUrl String agentBaseUrl,
        @NotNull(message = "is required") @HttpUrl String gatewayBaseUrl,
        Boolean enabled,
        @Min(value = 0, message = "must be between 0 and 10000") @Max(value = 10_000, message = "must be between 0 and 10000")
        Integer weight) {

    NodeUpsert toUpsert() {
        return new NodeUpsert(name, agentBaseUrl, gatewayBaseUrl, enabled, weight);
    }
}
