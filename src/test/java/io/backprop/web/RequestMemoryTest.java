package io.backprop.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** What requests may hold together: reserved before it is allocated, given back when they complete. */
class RequestMemoryTest {

    private final RequestMemory memory = new RequestMemory(100, Duration.ofMillis(50), new SimpleMeterRegistry());
    /** A thread per request, as the server gives them (the common pool may have one thread on two cores). */
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void aRequestThatAloneNeedsMoreThanTheBudgetIs413WithTheLimit() {
        try (RequestMemory.Lease lease = memory.open()) {
            RequestMemory.reserve(60);
            assertThatThrownBy(() -> RequestMemory.reserve(41))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
                        assertThat(e.properties()).containsEntry("limit", 100L);
                    });
            assertThat(memory.reserved()).isEqualTo(60);
        }
        assertThat(memory.reserved()).isZero();
    }

    @Test
    void aRequestThatDoesNotFitBesideOthersWaitsThenIs503WithRetryAfter() throws Exception {
        try (RequestMemory.Lease first = memory.open()) {
            RequestMemory.reserve(80);
            ApiException refused = CompletableFuture.supplyAsync(() -> {
                try (RequestMemory.Lease second = memory.open()) {
                    RequestMemory.reserve(40);
                    return null;
                } catch (ApiException e) {
                    return e;
                }
            }, threads).get(5, TimeUnit.SECONDS);
            assertThat(refused.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(refused.headers()).containsEntry("Retry-After", "1");
            assertThat(memory.reserved()).isEqualTo(80);
        }
    }

    @Test
    void aWaitingRequestGoesOnOnceAnotherGivesBack() {
        RequestMemory patient = new RequestMemory(100, Duration.ofSeconds(30), new SimpleMeterRegistry());
        RequestMemory.Lease first = patient.open();
        RequestMemory.reserve(80);
        CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> {
            try (RequestMemory.Lease lease = patient.open()) {
                RequestMemory.reserve(40);
                return patient.reserved();
            }
        }, threads);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !second.isDone());
        first.close();
        await().atMost(Duration.ofSeconds(5)).until(second::isDone);
        assertThat(second.join()).isEqualTo(40);
        assertThat(patient.reserved()).isZero();
    }

    @Test
    void whenEveryRequestHoldingMemoryWaitsForMoreTheOneThatFindsItIsRefusedAtOnce() throws Exception {
        RequestMemory patient = new RequestMemory(100, Duration.ofSeconds(30), new SimpleMeterRegistry());
        CompletableFuture<Void> firstHolds = new CompletableFuture<>();
        CompletableFuture<Void> secondHolds = new CompletableFuture<>();
        CompletableFuture<Object> first = CompletableFuture.supplyAsync(() -> {
            try (RequestMemory.Lease lease = patient.open()) {
                RequestMemory.reserve(50);
                firstHolds.complete(null);
                secondHolds.join();
                RequestMemory.reserve(20);
                return "served";
            }
        }, threads);
        firstHolds.get(5, TimeUnit.SECONDS);
        CompletableFuture<Object> second = CompletableFuture.supplyAsync(() -> {
            try (RequestMemory.Lease lease = patient.open()) {
                RequestMemory.reserve(40);
                secondHolds.complete(null);
                await().atMost(Duration.ofSeconds(5)).until(() -> patient.waitingHolders() == 1);
                RequestMemory.reserve(20);
                return "served";
            } catch (ApiException e) {
                return e.status();
            }
        }, threads);
        // both hold memory and want more than is left: the second is refused at once, not after 30 s, and
        // what it gave back lets the first go on
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("served");
        assertThat(patient.reserved()).isZero();
    }

    @Test
    void aResizedArrayIsReservedBeforeTheCopyAndTheOriginalGivenBackAfter() {
        try (RequestMemory.Lease lease = memory.open()) {
            RequestMemory.reserve(4 * 4);
            float[] grown = RequestMemory.resize(new float[] {1, 2, 3, 4}, 8);
            assertThat(grown).containsExactly(1, 2, 3, 4, 0, 0, 0, 0);
            assertThat(memory.reserved()).isEqualTo(4 * 8);
            assertThatThrownBy(() -> RequestMemory.resize(grown, 20)).isInstanceOf(ApiException.class);
        }
    }

    @Test
    void withoutARequestNothingIsReserved() {
        RequestMemory.reserve(1_000_000);
        assertThat(RequestMemory.resize(new int[] {7}, 3)).containsExactly(7, 0, 0);
        assertThat(memory.reserved()).isZero();
    }
}
