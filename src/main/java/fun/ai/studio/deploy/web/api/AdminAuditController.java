package fun.ai.studio.deploy.web.api;

import fun.ai.studio.deploy.shared.Routes;

import fun.ai.studio.deploy.shared.InvalidRequestException;

import fun.ai.studio.deploy.audit.AuditService;
import fun.ai.studio.deploy.audit.AuditPage;
import fun.ai.studio.deploy.shared.ApiResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Operators read the audit trail; authenticated by {@code X-Admin-Token} before this is reached. */
@RestController
class AdminAuditController {

    static final int MAX_PAGE = 500;

    private final AuditService audit;

    AdminAuditController(AuditService audit) {
        this.audit = audit;
    }

    @GetMapping(Routes.AUDIT)
    public ApiResponse<AuditPage> audit(@RequestParam(defaultValue = "50") int limit,
                                        @RequestParam(required = false) Long before) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidRequestException("limit must be between 1 and " + MAX_PAGE);
        }
        if (before != null && before < 1) {
            throw new InvalidRequestException("before must be an audit entry id (1 or more)");
        }
        return ApiResponse.ok(audit.page(before, limit));
    }
}
