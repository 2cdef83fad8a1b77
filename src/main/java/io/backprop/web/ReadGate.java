package io.backprop.web;

import io.backprop.core.LocalTraining;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets at most {@code backprop.requests.concurrency} bodiless API requests (status polls, history,
 * weights) run at once; the others wait their turn in arrival order. On a machine whose cores also train,
 * eight pollers each on its own Tomcat thread compete with the training thread for the cores and with
 * one another; measured on two cores, eight at a time kept a run at about half its speed with a read p99
 * of 17 ms, two at a time at three quarters with 11 ms, and served more reads per second. The default is
 * half the cores ({@link RequestProperties#effectiveConcurrency}).
 *
 * <p>Requests that carry a body are not gated: a client may send its body slowly, and a permit held
 * while it trickles in would stall every poller behind it (Tomcat's own pool bounds those). Actuator
 * endpoints are not gated either, so probes and scrapes answer however busy the API is. A request that
 * waits longer than {@code backprop.requests.queue-timeout} is answered 503 with {@code Retry-After}.
 *
 * <p>The gate closes only while a run trains in this process: with nothing to protect it is only a queue,
 * and measured idle on two cores (AVX-512, 2026-12-02) it cost reads 14 % of their rate and doubled their
 * p99 (3,122 requests/s, p99 45 ms, against 3,615 and 23 ms ungated): a permit holder the OS descheduled
 * held up everyone queued behind it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class ReadGate extends OncePerRequestFilter {

    private final Semaphore permits;
    private final long timeoutNanos;
    private final Counter refused;
    private final BooleanSupplier training;

    @Autowired
    ReadGate(RequestProperties properties, MeterRegistry registry) {
        this(properties, registry, LocalTraining::active);
    }

    /** @param training whether a run trains in this process now: only then do reads queue */
    ReadGate(RequestProperties properties, MeterRegistry registry, BooleanSupplier training) {
        this.training = training;
        int concurrency = properties.effectiveConcurrency();
        this.permits = new Semaphore(concurrency, true);
        this.timeoutNanos = properties.queueTimeout().toNanos();
        this.refused = Counter.builder("backprop.http.gate.refused")
                .description("API reads answered 503 after waiting longer than the queue timeout")
                .register(registry);
        Gauge.builder("backprop.http.gate.waiting", permits, Semaphore::getQueueLength)
                .description("API reads waiting for one of the " + concurrency + " permits")
                .register(registry);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/") || hasBody(request);
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!training.getAsBoolean()) {
            chain.doFilter(request, response);
            return;
        }
        boolean acquired;
        try {
            acquired = permits.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            refused.increment();
            response.setHeader("Retry-After", "1");
            FilterProblems.write(request, response, HttpStatus.SERVICE_UNAVAILABLE, FilterProblems.title(503),
                    "too many requests are waiting; retry shortly", Map.of());
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            permits.release();
        }
    }
}
