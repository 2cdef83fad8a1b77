package io.backprop.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ReadGateTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicBoolean training = new AtomicBoolean(true);

    /** Holds the first request inside the gate until {@link #release} opens; counts every request served. */
    private final FilterChain holdingChain = (request, response) -> {
        served.incrementAndGet();
        entered.countDown();
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    };
    private final FilterChain passingChain = (request, response) -> served.incrementAndGet();

    @AfterEach
    void openTheGate() {
        release.countDown();
    }

    private ReadGate gate(int concurrency, Duration timeout) {
        return new ReadGate(new RequestProperties(concurrency, timeout), registry, training::get);
    }

    private static MockHttpServletRequest get(String path) {
        return new MockHttpServletRequest("GET", path);
    }

    private static CompletableFuture<Void> filterAsync(ReadGate gate, String path, MockHttpServletResponse response,
                                                       FilterChain chain) {
        return CompletableFuture.runAsync(() -> {
            try {
                gate.doFilter(get(path), response, chain);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private CompletableFuture<Void> holdOnePermit(ReadGate gate) throws InterruptedException {
        CompletableFuture<Void> first = filterAsync(gate, "/api/v1/runs/a", new MockHttpServletResponse(), holdingChain);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        return first;
    }

    @Test
    void aReadBeyondTheConcurrencyWaitsItsTurnAndIsServedWhenAPermitFrees() throws Exception {
        ReadGate gate = gate(1, Duration.ofSeconds(10));
        CompletableFuture<Void> first = holdOnePermit(gate);
        MockHttpServletResponse secondResponse = new MockHttpServletResponse();
        CompletableFuture<Void> second = filterAsync(gate, "/api/v1/runs/b", secondResponse, passingChain);
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.get("backprop.http.gate.waiting").gauge().value() == 1.0);
        assertThat(served).hasValue(1);

        release.countDown();
        first.get(5, TimeUnit.SECONDS);
        second.get(5, TimeUnit.SECONDS);
        assertThat(served).hasValue(2);
        assertThat(secondResponse.getStatus()).isEqualTo(200);
    }

    @Test
    void aReadThatWaitsPastTheQueueTimeoutIsRefusedWith503AndRetryAfter() throws Exception {
        ReadGate gate = gate(1, Duration.ofMillis(50));
        holdOnePermit(gate);
        MockHttpServletResponse response = new MockHttpServletResponse();

        gate.doFilter(get("/api/v1/runs/b"), response, passingChain);

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("1");
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getContentAsString()).contains("\"status\":503").contains("\"instance\":\"/api/v1/runs/b\"");
        assertThat(served).hasValue(1);
        assertThat(registry.get("backprop.http.gate.refused").counter().count()).isEqualTo(1.0);
    }

    @Test
    void whileNothingTrainsHereReadsDoNotQueue() throws Exception {
        training.set(false);
        ReadGate gate = gate(1, Duration.ofMillis(50));
        holdOnePermit(gate);
        MockHttpServletResponse response = new MockHttpServletResponse();

        gate.doFilter(get("/api/v1/runs/b"), response, passingChain);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(served).hasValue(2);
        assertThat(registry.get("backprop.http.gate.refused").counter().count()).isZero();
    }

    @Test
    void requestsWithABodyAndNonApiRequestsAreNotHeldBehindTheReads() throws Exception {
        ReadGate gate = gate(1, Duration.ofMillis(50));
        holdOnePermit(gate);
        MockHttpServletRequest upload = new MockHttpServletRequest("POST", "/api/v1/runs/a/predictions");
        upload.setContent(new byte[] {'{', '}'});
        MockHttpServletRequest chunked = new MockHttpServletRequest("POST", "/api/v1/datasets");
        chunked.addHeader("Transfer-Encoding", "chunked");
        MockHttpServletResponse uploadResponse = new MockHttpServletResponse();
        MockHttpServletResponse chunkedResponse = new MockHttpServletResponse();
        MockHttpServletResponse healthResponse = new MockHttpServletResponse();

        gate.doFilter(upload, uploadResponse, passingChain);
        gate.doFilter(chunked, chunkedResponse, passingChain);
        gate.doFilter(get("/actuator/health"), healthResponse, passingChain);

        assertThat(served).hasValue(4);
        assertThat(uploadResponse.getStatus()).isEqualTo(200);
        assertThat(chunkedResponse.getStatus()).isEqualTo(200);
        assertThat(healthResponse.getStatus()).isEqualTo(200);
    }

    @Test
    void aRequestThatFailsGivesItsPermitBack() throws Exception {
        ReadGate gate = gate(1, Duration.ofMillis(50));
        FilterChain failing = (request, response) -> {
            throw new IllegalStateException("boom");
        };
        assertThatThrownBy(() -> gate.doFilter(get("/api/v1/runs/a"), new MockHttpServletResponse(), failing))
                .hasMessage("boom");
        MockHttpServletResponse next = new MockHttpServletResponse();

        gate.doFilter(get("/api/v1/runs/a"), next, passingChain);

        assertThat(next.getStatus()).isEqualTo(200);
        assertThat(served).hasValue(1);
    }

    @Test
    void zeroConcurrencyMeansHalfTheProcessorsAndAtLeastOne() {
        assertThat(new RequestProperties(0, Duration.ofSeconds(1)).effectiveConcurrency())
                .isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        assertThat(new RequestProperties(3, Duration.ofSeconds(1)).effectiveConcurrency()).isEqualTo(3);
        assertThatThrownBy(() -> new RequestProperties(-1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
