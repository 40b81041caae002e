package fun.ai.studio.deploy.web.api;

import fun.ai.studio.deploy.shared.Identifiers;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

record EnsureRequest(
        @NotNull(message = "is required") @Pattern(regexp = Identifiers.APP_ID_REGEX, message = "must be " + Identifiers.APP_ID_RULE)
        String appId) {
}
