package io.backprop.core;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process's spare cores, lent to large matrix products. Every training run holds a core of its
 * own; the others are helpers a run's product may borrow for its duration, so one run alone uses every
 * core and each run that starts takes one back. Products below {@link #MIN_MACS} multiply-adds stay on
 * their thread, where handing work over would cost more than it saves.
 */
final class CorePool {

    static final int CORES = Runtime.getRuntime().availableProcessors();
    /**
     * Measured on this project's 2-core machine (TrainingBenchmark with 1 and 2 threads per product): the
     * 6.4 million multiply-adds of 784-128-10 at batch 64 lost a quarter of their speed when split (the
     * hand-over costs about as much as half the product); the 100 million of 784-512-512-10 at batch 256
     * ran 1.7 times as fast.
     */
    static final long MIN_MACS = 1L << 24;

    private static final AtomicInteger TRAINERS = new AtomicInteger();
    private static final AtomicLong LENT = new AtomicLong();
    private static final ExecutorService HELPERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "gemm-helper");
        t.setDaemon(true);
        return t;
    });
    private static volatile Semaphore permits = new Semaphore(Math.max(0, CORES - 1));
    /** Threads per product when a test fixes it, or 0 to follow the cores and the runs. */
    private static volatile int fixed;

    private CorePool() {
    }

    static void trainerStarted() {
        TRAINERS.incrementAndGet();
    }

    static void trainerEnded() {
        TRAINERS.decrementAndGet();
    }

    /** Helpers a product of {@code macs} multiply-adds may use now (0 or more); give them back after. */
    static int borrow(long macs) {
        if (macs < MIN_MACS) {
            return 0;
        }
        int want = fixed > 0 ? fixed - 1 : Math.max(0, CORES - Math.max(1, TRAINERS.get()));
        Semaphore p = permits;
        for (int n = want; n > 0; n--) {
            if (p.tryAcquire(n)) {
                LENT.addAndGet(n);
                return n;
            }
        }
        return 0;
    }

    static void giveBack(int helpers) {
        if (helpers > 0) {
            permits.release(helpers);
        }
    }

    /** Helpers lent so far, over the process's life. */
    static long lent() {
        return LENT.get();
    }

    static ExecutorService helpers() {
        return HELPERS;
    }

    /** For tests and benchmarks: every large product uses exactly {@code threads} threads (0: back to normal). */
    static synchronized void fixThreads(int threads) {
        fixed = threads;
        permits = new Semaphore(threads > 0 ? threads - 1 : Math.max(0, CORES - 1));
    }
}
