package fun.ai.studio.deploy.audit;

import fun.ai.studio.deploy.web.api.AdminAuditFilter;
import fun.ai.studio.deploy.config.SecurityProperties;
import fun.ai.studio.deploy.security.ClientAddressResolver;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the audit store is unreachable (the database is down), the caller still gets the answer the endpoint gave,
 * and the log line remains as the mutation's record.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuditStoreFailureTest {

    private static final String ANSWER = "{\"code\":503,\"message\":\"database unavailable; retry later\",\"data\":null}";

    /** A store whose database went away. */
    private static final AuditRepository UNREACHABLE = new AuditRepository() {
        @Override
        public AuditEntry append(AuditEntry entry) {
            throw new DataAccessResourceFailureException("connection refused");
        }

        @Override
        public List<AuditEntry> findBefore(Long beforeId, int limit) {
            throw new DataAccessResourceFailureException("connection refused");
        }
    };

    private final AuditService audit = new AuditService(UNREACHABLE,
            Clock.fixed(Instant.parse("2026-11-28T03:12:31.123Z"), ZoneOffset.UTC));

    @Test
    void recordingWhileTheStoreIsDownLogsTheEntryWithoutAnIdAndThrowsNothing(CapturedOutput output) {
        AuditEntry entry = audit.record("10.0.0.5", "set-enabled", "?name=n1&enabled=false", 503,
                "database unavailable; retry later");

        assertThat(entry.id()).isZero();
        assertThat(entry.at()).isEqualTo(Instant.parse("2026-11-28T03:12:31.123Z").toEpochMilli());
        assertThat(output.getAll()).contains("admin audit entry not stored (DataAccessResourceFailureException)")
                .contains("admin set-enabled from 10.0.0.5: asked [?name=n1&enabled=false] -> 503"
                        + " [database unavailable; retry later]");
    }

    @Test
    void theFilterPassesTheEndpointsAnswerOnWhenTheStoreIsDown() throws Exception {
        AdminAuditFilter filter = new AdminAuditFilter(audit, new ClientAddressResolver(new SecurityProperties(List.of())),
                JsonMapper.builder().build());
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/admin/runtime-nodes/set-enabled");
        request.setServletPath("/admin/runtime-nodes/set-enabled");
        request.setQueryString("name=n1&enabled=false");
        MockHttpServletResponse response = new MockHttpServletResponse();

        filter.doFilter(request, response, (req, res) -> {
            ((HttpServletResponse) res).setStatus(503);
            res.setContentType("application/json");
            res.getOutputStream().write(ANSWER.getBytes(StandardCharsets.UTF_8));
        });

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentAsString()).isEqualTo(ANSWER);
    }
}
