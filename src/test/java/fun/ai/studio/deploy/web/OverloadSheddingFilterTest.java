package fun.ai.studio.deploy.web;

import fun.ai.studio.deploy.shared.EnvelopeWriter;
import fun.ai.studio.deploy.config.OverloadProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class OverloadSheddingFilterTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final OverloadSheddingFilter filter = new OverloadSheddingFilter(
            new OverloadProperties(1, Duration.ofMillis(20)), new EnvelopeWriter(JsonMapper.builder().build()), meters);
    private final ExecutorService callers = Executors.newSingleThreadExecutor();
    private final CountDownLatch inside = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger reachedTheApplication = new AtomicInteger();

    @AfterEach
    void stop() {
        release.countDown();
        callers.shutdownNow();
    }

    @Test
    void beyondTheBoundAWriteCallIsAnswered503WithRetryAfterAndNeverReachesTheApplication() throws Exception {
        Future<MockHttpServletResponse> holding = holdOnePlace("/internal/runtime-nodes/heartbeat");

        MockHttpServletResponse heartbeat = send("POST", "/internal/runtime-nodes/heartbeat", counting());
        MockHttpServletResponse ensure = send("POST", "/internal/placements/ensure", counting());
        MockHttpServletResponse report = send("POST", "/internal/apps/app-1/report", counting());

        for (MockHttpServletResponse shed : new MockHttpServletResponse[]{heartbeat, ensure, report}) {
            assertThat(shed.getStatus()).isEqualTo(503);
            assertThat(shed.getHeader("Retry-After")).isEqualTo("1");
            assertThat(shed.getContentAsString()).contains("\"code\":503").contains("\"message\":\"overloaded; retry later\"");
        }
        assertThat(reachedTheApplication).as("nothing shed was processed").hasValue(0);
        assertThat(meters.get("deploy.overload.shed").tag("call", "heartbeat").counter().count()).isEqualTo(1);
        assertThat(meters.get("deploy.overload.shed").tag("call", "ensure").counter().count()).isEqualTo(1);
        assertThat(meters.get("deploy.overload.shed").tag("call", "report").counter().count()).isEqualTo(1);

        release.countDown();
        assertThat(holding.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
        assertThat(send("POST", "/internal/runtime-nodes/heartbeat", counting()).getStatus())
                .as("a place is free again").isEqualTo(200);
        assertThat(reachedTheApplication).hasValue(1);
    }

    @Test
    void healthProbesReadsAndTheAdminApiAreNeverLimited() throws Exception {
        holdOnePlace("/internal/placements/ensure");

        for (String[] call : new String[][]{{"GET", "/actuator/health/liveness"}, {"GET", "/internal/health"},
                {"GET", "/admin/runtime-nodes/list"}, {"GET", "/internal/placements/app-1"},
                {"POST", "/admin/runtime-nodes/drain"}}) {
            assertThat(send(call[0], call[1], counting()).getStatus()).as("%s %s", call[0], call[1]).isEqualTo(200);
        }
        assertThat(reachedTheApplication).hasValue(5);
    }

    /** Starts a write call that stays inside the application until {@link #release}. */
    private Future<MockHttpServletResponse> holdOnePlace(String path) throws InterruptedException {
        Future<MockHttpServletResponse> held = callers.submit(() -> send("POST", path, (request, response) -> {
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        return held;
    }

    private FilterChain counting() {
        return (request, response) -> reachedTheApplication.incrementAndGet();
    }

    private MockHttpServletResponse send(String method, String path, FilterChain chain) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, chain);
        return response;
    }
}
