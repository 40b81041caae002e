package fun.ai.studio.deploy.web;

import java.util.Map;

import java.util.EnumMap;

import fun.ai.studio.deploy.shared.Route;

import fun.ai.studio.deploy.shared.EnvelopeWriter;
import fun.ai.studio.deploy.config.OverloadProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the write calls in progress at once ({@code deploy.overload.max-concurrent}): heartbeats, {@code ensure}
 * and app reports, the calls that write to the store. A call beyond the bound waits at most
 * {@code deploy.overload.queue-wait} for a place and is otherwise answered 503 with {@code Retry-After: 1}, so
 * beyond capacity callers hear "later" at once instead of queueing until they time out, and the threads left
 * over keep health, probes and the admin API answering. Runs after access control, so refused callers take no
 * place, and after the heartbeat counter, which counts what it sheds.
 */
class OverloadSheddingFilter extends OncePerRequestFilter {

    static final String SHED_MESSAGE = "overloaded; retry later";

    private final Semaphore places;
    private final long queueWaitNanos;
    private final EnvelopeWriter envelope;
    private final Map<Route, Counter> shed = new EnumMap<>(Route.class);

    OverloadSheddingFilter(OverloadProperties settings, EnvelopeWriter envelope, MeterRegistry meters) {
        this.places = new Semaphore(settings.maxConcurrent());
        this.queueWaitNanos = settings.queueWait().toNanos();
        this.envelope = envelope;
        for (Route route : Route.values()) {
            if (route.boundedWrite()) {
                shed.put(route, shedCounter(meters, route.tag()));
            }
        }
    }

    private static Counter shedCounter(MeterRegistry meters, String call) {
        return Counter.builder("deploy.overload.shed").tag("call", call)
                .description("write calls answered 503 at once because deploy.overload.max-concurrent were in progress")
                .register(meters);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return shedCounterFor(request) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean admitted;
        try {
            admitted = places.tryAcquire(queueWaitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            shedCounterFor(request).increment();
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            envelope.writeError(response, 503, SHED_MESSAGE);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            places.release();
        }
    }

    /** The counter of the write call this request is, or null for anything else. */
    private Counter shedCounterFor(HttpServletRequest request) {
        Route route = Route.of(request.getMethod(), request.getRequestURI());
        return route == null ? null : shed.get(route);
    }
}
