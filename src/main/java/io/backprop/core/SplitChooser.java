package io.backprop.core;

/**
 * Decides from a run's own step times whether the products that are only sometimes worth splitting
 * ({@link CorePool#ALWAYS_SPLIT_MACS_PER_PART}) borrow idle cores. Measured on this project's 2-core
 * virtual machine (2026-12-07): 784-128-10 trained 1.2-1.3× faster with its two big products split in
 * most launches of a bare JVM and about a quarter slower in others, and inside the service its split
 * steps were slower for the first seconds, while the JIT compiler held the other core. So after a warm-up
 * the run alternates blocks of steps with and without helpers, keeps whichever took less time in total
 * (a median instead kept the run on one thread in launches where the split was 1.2× faster), and
 * measures again, soon at first and then every {@link #MAX_GAP_NANOS} of training, as the JIT settles
 * and other runs and requests come and go. Results do not depend on the choice: a split product sums
 * every element in the same order ({@link CorePool}).
 */
final class SplitChooser {

    /** Steps before the first measurement: the JIT compiles the kernels in the first ones. */
    static final int WARM_UP = 256;
    /**
     * A block's length in time, so that a measurement costs about as much for a 0.2 ms step as for a 4 ms
     * one. After a switch the helpers wake up and the caches change hands: blocks of 8 steps with one not
     * timed, measured 2026-12-07, timed 784-128-10's split steps at 230-460 µs against 165-180 when the run
     * split every step, so the run stayed on one thread where the split was 1.3× faster. The first eighth
     * of each block (at least one step) is therefore not timed.
     */
    static final long BLOCK_NANOS = 8_000_000;
    static final int MIN_BLOCK = 4;
    static final int MAX_BLOCK = 64;
    /** Blocks of each kind per measurement, interleaved so that drifts of the machine cancel out. */
    static final int ROUNDS = 4;
    /** Training time from the first measurement to the second; the gap doubles after each, up to the max. */
    static final long FIRST_GAP_NANOS = 250_000_000L;
    static final long MAX_GAP_NANOS = 8_000_000_000L;
    /**
     * How much faster the other way must be to change: the first choice splits only when that is clearly
     * faster (on a tie the cores are left to other work), and later ones do not flip on noise.
     */
    static final double MARGIN = 0.97;

    private long step;
    private boolean split = true;
    private boolean decided;
    private int measurements;
    // between measurements: training time since the last one, and the steps it took
    private long waitedNanos;
    private long waitedSteps;
    private long gapNanos;
    // during one: the step within it (-1 when not measuring), the block's length and its untimed steps
    private int index = -1;
    private int block;
    private int untimed;
    private long splitNanos;
    private long soloNanos;
    private long lentAtStart;
    // the step under way, between beforeStep and afterStep
    private long stepStarted;

    /** On the training thread, before a step: lets its optional products split or not, and starts its clock. */
    void beforeStep(CorePool.Borrower borrower) {
        borrower.solo = !splitNext();
        stepStarted = System.nanoTime();
    }

    /** On the training thread, after the step {@link #beforeStep} began. */
    void afterStep(CorePool.Borrower borrower) {
        stepTook(System.nanoTime() - stepStarted, borrower.lent);
    }

    /** Whether the next step may borrow helpers. */
    boolean splitNext() {
        return index < 0 ? split : (index / block) % 2 == 0;
    }

    /**
     * Records the step just taken (split as {@link #splitNext} said) and its duration.
     *
     * @param lentSoFar the helpers this thread has borrowed so far ({@link CorePool.Borrower}), after the
     *                  step: a measurement in which no product was split (too small, or no idle core)
     *                  decides nothing
     */
    void stepTook(long nanos, long lentSoFar) {
        step++;
        if (index < 0) {
            waitedNanos += nanos;
            waitedSteps++;
            if (step >= WARM_UP && waitedNanos >= gapNanos) {
                start(lentSoFar);
            }
            return;
        }
        if (index % block >= untimed) {
            if ((index / block) % 2 == 0) {
                splitNanos += nanos;
            } else {
                soloNanos += nanos;
            }
        }
        if (++index == 2 * ROUNDS * block) {
            // solo steps borrow nothing for the products decided here (unless a test fixes the threads, and
            // then the choice changes nothing), so any borrowing was a split step's
            decide(lentSoFar != lentAtStart);
        }
    }

    private void start(long lentSoFar) {
        long perStep = Math.max(1, waitedNanos / waitedSteps);
        block = (int) Math.max(MIN_BLOCK, Math.min(MAX_BLOCK, BLOCK_NANOS / perStep));
        untimed = Math.max(1, block / 8);
        index = 0;
        splitNanos = 0;
        soloNanos = 0;
        lentAtStart = lentSoFar;
    }

    private void decide(boolean lent) {
        if (!lent) {
            split = true;
        } else if (split && decided) {
            split = soloNanos >= splitNanos * MARGIN;
        } else {
            split = splitNanos < soloNanos * MARGIN;
        }
        decided |= lent;
        measurements++;
        index = -1;
        waitedNanos = 0;
        waitedSteps = 0;
        gapNanos = gapNanos == 0 ? FIRST_GAP_NANOS : Math.min(MAX_GAP_NANOS, 2 * gapNanos);
    }

    /** The current choice, for logs and tests. */
    boolean split() {
        return split;
    }

    /** Measurements completed so far, for tests. */
    int measurements() {
        return measurements;
    }
}
