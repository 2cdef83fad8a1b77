package io.backprop.core;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The process's spare cores, lent to a run's large products. Every training run holds a core of its own;
 * the others are helper threads a product may borrow for its duration, so one run alone uses every core
 * and each run that starts takes one back.
 *
 * <p>The hand-over is a field write the helper is waiting on, not a queue and a wake-up: a helper that
 * finishes a part spins for {@link #SPIN_NANOS}, then yields its core between checks until
 * {@link #YIELD_NANOS}, and only then sleeps. That bridges the gaps between a training step's products,
 * so a run alone hands each product over in well under a microsecond rather than through a thread's
 * wake-up, which on this project's virtual machine could cost as much as the product; while it yields,
 * any other thread that needs the core gets it.
 */
final class CorePool {

    static final int CORES = Runtime.getRuntime().availableProcessors();
    /**
     * The least work worth a part of a product, in multiply-adds (about 10 µs on one core here), and the
     * least that is always worth it (about 20 µs). Products in between, such as the two 6.4-million
     * products of 784-128-10 at batch 64, are split only when the run's {@link SplitChooser} finds that
     * pays. Measured 2026-12-07 on 2 cores: such a product alone ran in 47 µs split against 73 whole, and
     * 784-128-10 trained 1.2-1.35× faster split in most launches of a bare JVM but about a quarter slower
     * in others, and slower inside the service for its first seconds (each part reads weights the other
     * core just wrote, and a helper whose core another thread held stalled the product; parts were not
     * yet taken back then). The 100 million of 784-512-512-10 at batch 256 always are: 1.6-1.8× on two
     * cores.
     */
    static final long MIN_MACS_PER_PART = 1L << 21;
    static final long ALWAYS_SPLIT_MACS_PER_PART = 1L << 22;
    /**
     * Column ranges of a split are whole multiples of this many floats (two 512-bit vectors, two cache
     * lines), so each range is whole kernel panels and no two threads write the same cache line of a row.
     */
    static final int COLUMN_UNIT = 32;
    /** How long an idle helper spins for work, then how long it keeps yielding its core while it waits. */
    static final long SPIN_NANOS = 50_000;
    static final long YIELD_NANOS = 1_000_000;
    /** At most this many helpers: their claims fit in one long. */
    private static final int MAX_HELPERS = 63;

    /** One part of a pass, {@code part} in {@code [0, parts)}; part 0 runs on the caller's thread. */
    interface Parts {
        void run(int part, int parts);
    }

    /**
     * What a thread that lends from the pool asks of it: {@code solo} keeps its optional splits (the
     * products {@link SplitChooser} decides on) on itself; {@code lent} counts the helpers those borrowed.
     */
    static final class Borrower {
        boolean solo;
        long lent;
    }

    private static final ThreadLocal<Borrower> BORROWERS = ThreadLocal.withInitial(Borrower::new);
    private static final AtomicInteger TRAINERS = new AtomicInteger();
    private static final AtomicLong LENT = new AtomicLong();
    private static volatile Helper[] helpers = start(new Helper[0], Math.min(MAX_HELPERS, CORES - 1));
    /** Threads per pass when a test or benchmark fixes it, or 0 to follow the cores and the runs. */
    private static volatile int fixed;

    private CorePool() {
    }

    static void trainerStarted() {
        TRAINERS.incrementAndGet();
    }

    static void trainerEnded() {
        TRAINERS.decrementAndGet();
    }

    static int trainers() {
        return TRAINERS.get();
    }

    /**
     * Runs {@code body} in up to {@code maxParts} parts at once: part 0 here, the others on helpers free
     * now (as many as the cores no run holds). Returns when every part is done; a part's failure is
     * thrown here once the others finish, so no part still writes to the caller's buffers.
     */
    static void forEachPart(int maxParts, Parts body) {
        forEachPart(maxParts, false, body);
    }

    /**
     * {@link #forEachPart(int, Parts)} for a pass that is worth splitting only where the run's
     * {@link SplitChooser} says so ({@code optional}).
     */
    static void forEachPart(int maxParts, boolean optional, Parts body) {
        Borrower borrower = optional ? BORROWERS.get() : null;
        int threads = fixed > 0 ? fixed : optional && borrower.solo ? 1 : CORES - Math.max(1, TRAINERS.get()) + 1;
        int want = Math.min(maxParts, threads) - 1;
        if (want <= 0) {
            body.run(0, 1);
            return;
        }
        Helper[] pool = helpers;
        long claimed = 0;
        int count = 0;
        for (int i = 0; i < pool.length && count < want; i++) {
            if (pool[i].claimed.compareAndSet(false, true)) {
                claimed |= 1L << i;
                count++;
            }
        }
        if (count == 0) {
            body.run(0, 1);
            return;
        }
        LENT.addAndGet(count);
        if (optional) {
            borrower.lent += count;
        }
        int parts = count + 1;
        int part = 1;
        for (int i = 0; i < pool.length; i++) {
            if ((claimed & 1L << i) != 0) {
                pool[i].hand(body, part++, parts);
            }
        }
        Throwable failure = run(body, 0, parts);
        for (int i = 0; i < pool.length; i++) {
            if ((claimed & 1L << i) != 0) {
                Throwable f = pool[i].finish();
                pool[i].claimed.set(false);
                if (failure == null) {
                    failure = f;
                }
            }
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException("a helper failed", failure);
        }
    }

    /** Runs one part; its failure, or null. */
    private static Throwable run(Parts body, int part, int parts) {
        try {
            body.run(part, parts);
            return null;
        } catch (RuntimeException | Error e) {
            return e;
        }
    }

    /**
     * The first column of part {@code part} of {@code parts} of {@code n} columns, a multiple of
     * {@link #COLUMN_UNIT} (part {@code parts} ends at n): the one partition of a layer's columns that its
     * forward and backward products share, so each thread keeps touching the same weights.
     */
    static int columns(int n, int part, int parts) {
        if (part >= parts) {
            return n;
        }
        int units = n / COLUMN_UNIT;
        return (int) ((long) units * part / parts) * COLUMN_UNIT;
    }

    /** How many parts a product of {@code macs} multiply-adds is worth, by {@link #MIN_MACS_PER_PART}. */
    static int partsByWork(long macs) {
        return (int) Math.min(Integer.MAX_VALUE, macs / MIN_MACS_PER_PART);
    }

    /**
     * How many column ranges a product with {@code n} columns splits into at most: the products' rule,
     * which the optimizer follows for weights in the {@link Panels} layout, so each core updates the
     * columns it computes.
     */
    static int columnParts(long macs, int n) {
        return Math.min(partsByWork(macs), n / COLUMN_UNIT);
    }

    /** Whether splitting such a product is the run's {@link SplitChooser}'s to decide. */
    static boolean optional(long macs) {
        return macs < 2 * ALWAYS_SPLIT_MACS_PER_PART;
    }

    /** This thread's requests of the pool. */
    static Borrower borrower() {
        return BORROWERS.get();
    }

    /** Helpers lent so far, over the process's life. */
    static long lent() {
        return LENT.get();
    }

    /** For tests and benchmarks: every large product uses exactly {@code threads} threads (0: back to normal). */
    static synchronized void fixThreads(int threads) {
        int needed = Math.min(MAX_HELPERS, Math.max(threads, CORES) - 1);
        if (helpers.length < needed) {
            helpers = start(helpers, needed);
        }
        fixed = threads;
    }

    private static Helper[] start(Helper[] existing, int size) {
        Helper[] grown = Arrays.copyOf(existing, Math.max(0, size));
        for (int i = existing.length; i < grown.length; i++) {
            grown[i] = new Helper("core-helper-" + i);
            grown[i].start();
        }
        return grown;
    }

    /**
     * A daemon thread that runs one part at a time. A part handed over is {@code OFFERED} until the helper
     * takes it, or until the lender, done with its own part first, takes it back and runs it itself: a
     * helper whose core is busy with another thread (the JIT compiler, a request) then costs the product
     * its part's time, not the wait for the scheduler. {@code state} and {@code sleeping} are volatile, so
     * the check of one after writing the other cannot miss a wake-up (Dekker's pattern).
     */
    private static final class Helper extends Thread {
        private static final int IDLE = 0;
        private static final int OFFERED = 1;
        private static final int TAKEN = 2;
        private static final int TAKEN_BACK = 3;
        private static final int DONE = 4;

        final AtomicBoolean claimed = new AtomicBoolean();
        private final AtomicInteger state = new AtomicInteger(IDLE);
        private volatile boolean sleeping;
        // written before the volatile state they travel with
        private Parts body;
        private int part;
        private int parts;
        private Throwable failure;

        Helper(String name) {
            super(name);
            setDaemon(true);
        }

        void hand(Parts work, int index, int of) {
            body = work;
            part = index;
            parts = of;
            failure = null;
            state.set(OFFERED);
            if (sleeping) {
                LockSupport.unpark(this);
            }
        }

        /** On the lender's thread: the part handed over, run here if the helper has not started it; its failure, or null. */
        Throwable finish() {
            Throwable result;
            if (state.compareAndSet(OFFERED, TAKEN_BACK)) {
                result = CorePool.run(body, part, parts);
            } else {
                int spins = 0;
                while (state.get() != DONE) {
                    if (++spins < 1 << 16) {
                        Thread.onSpinWait();
                    } else {
                        Thread.yield();
                    }
                }
                result = failure;
            }
            body = null;
            state.set(IDLE);
            return result;
        }

        @Override
        public void run() {
            while (true) {
                awaitOffer();
                if (state.compareAndSet(OFFERED, TAKEN)) {
                    failure = CorePool.run(body, part, parts);
                    state.set(DONE);
                }
            }
        }

        private void awaitOffer() {
            long idleSince = System.nanoTime();
            while (state.get() != OFFERED) {
                long idle = System.nanoTime() - idleSince;
                if (idle < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else if (idle < YIELD_NANOS) {
                    Thread.yield();
                } else {
                    sleeping = true;
                    if (state.get() != OFFERED) {
                        LockSupport.park(this);
                    }
                    sleeping = false;
                }
            }
        }
    }
}
