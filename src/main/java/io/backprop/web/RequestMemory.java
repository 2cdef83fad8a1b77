package io.backprop.web;

import io.backprop.config.BackpropProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The heap that requests may hold together while they are served ({@code backprop.request-memory-budget},
 * beside the training runs' own budget). A request that materializes data (a dataset's values, prediction
 * rows, an uploaded file) reserves what it is about to allocate before allocating it, through the lease
 * its thread holds; the lease is given back when the request completes. A request that alone needs more
 * than the budget is refused with 413; one that does not fit beside the others waits up to
 * {@code backprop.request-memory-wait}, then is refused with 503 and {@code Retry-After}. Without this,
 * a few large uploads or prediction batches at once ran the JVM out of memory, answering 500s.
 */
@Component
public class RequestMemory {

    private static final ThreadLocal<Lease> CURRENT = new ThreadLocal<>();

    private final long total;
    private final long waitNanos;
    private final Counter refused;
    private long reserved;
    /** Requests holding memory, and how many of them wait for more. */
    private int holders;
    private int waitingHolders;

    @Autowired
    RequestMemory(BackpropProperties properties, MeterRegistry registry) {
        this(properties.effectiveRequestMemoryBudget(), properties.requestMemoryWait(), registry);
    }

    RequestMemory(long total, Duration wait, MeterRegistry registry) {
        this.total = total;
        this.waitNanos = wait.toNanos();
        Gauge.builder("backprop.request.memory.budget", () -> total).baseUnit("bytes")
                .description("Heap that requests may hold together on this instance").register(registry);
        Gauge.builder("backprop.request.memory.reserved", this, RequestMemory::reserved).baseUnit("bytes")
                .description("Heap reserved by the requests being served").register(registry);
        this.refused = Counter.builder("backprop.request.memory.refused")
                .description("Requests refused because the request memory was in use (503)").register(registry);
    }

    /**
     * Reserves {@code bytes} for the request this thread serves, before they are allocated; nothing when
     * it serves none (a worker, a unit test).
     *
     * @throws ApiException 413 when the request alone would need more than the budget, 503 when the
     *                      budget stays taken by other requests for longer than the wait
     */
    public static void reserve(long bytes) {
        Lease lease = CURRENT.get();
        if (lease != null && bytes > 0) {
            lease.owner.acquire(lease, bytes);
        }
    }

    /** Gives back part of what this thread's request reserved (an array it replaced and dropped). */
    public static void release(long bytes) {
        Lease lease = CURRENT.get();
        if (lease != null && bytes > 0) {
            lease.owner.giveBack(lease, bytes);
        }
    }

    /** {@link Arrays#copyOf(float[], int)}, priced: the copy is reserved first, the original released after. */
    public static float[] resize(float[] values, int length) {
        reserve(4L * length);
        float[] copy = Arrays.copyOf(values, length);
        release(4L * values.length);
        return copy;
    }

    /** {@link Arrays#copyOf(int[], int)}, priced like {@link #resize(float[], int)}. */
    public static int[] resize(int[] values, int length) {
        reserve(4L * length);
        int[] copy = Arrays.copyOf(values, length);
        release(4L * values.length);
        return copy;
    }

    /** Binds a lease to this thread for the request it starts serving. */
    Lease open() {
        Lease lease = new Lease(this);
        CURRENT.set(lease);
        return lease;
    }

    /**
     * Memory a request frees goes first to requests that already hold some and wait for more, so a new
     * request cannot starve one half-way through. When every request that holds memory is waiting for
     * more, none will free any: the one that finds this is refused at once instead of all waiting out.
     */
    private synchronized void acquire(Lease lease, long bytes) {
        if (lease.held + bytes > total) {
            throw ApiException.tooLarge("serving this request needs about " + mb(lease.held + bytes)
                    + " MB of memory; this instance gives requests " + mb(total)
                    + " MB at once (backprop.request-memory-budget): send less at a time", total);
        }
        boolean holder = lease.held > 0;
        long deadline = System.nanoTime() + waitNanos;
        while (reserved + bytes > total || (!holder && waitingHolders > 0)) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || (holder && waitingHolders + 1 >= holders)) {
                refused.increment();
                throw busy();
            }
            if (holder) {
                waitingHolders++;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                refused.increment();
                throw busy();
            } finally {
                if (holder) {
                    waitingHolders--;
                }
            }
        }
        if (!holder) {
            holders++;
        }
        lease.held += bytes;
        reserved += bytes;
    }

    private static ApiException busy() {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, FilterProblems.title(503),
                "the memory this instance gives requests is in use by others; retry shortly", List.of(),
                Map.of("Retry-After", "1"));
    }

    private synchronized void giveBack(Lease lease, long bytes) {
        long given = Math.min(bytes, lease.held);
        if (given == 0) {
            return;
        }
        lease.held -= given;
        reserved -= given;
        if (lease.held == 0) {
            holders--;
        }
        notifyAll();
    }

    synchronized long reserved() {
        return reserved;
    }

    synchronized int waitingHolders() {
        return waitingHolders;
    }

    private static long mb(long bytes) {
        return Math.max(1, (bytes + (1 << 20) - 1) >> 20);
    }

    /** What one request holds; closed once, when it completes. */
    final class Lease implements AutoCloseable {
        private final RequestMemory owner;
        private long held;

        private Lease(RequestMemory owner) {
            this.owner = owner;
        }

        @Override
        public void close() {
            if (CURRENT.get() == this) {
                CURRENT.remove();
            }
            owner.giveBack(this, held);
        }
    }
}
