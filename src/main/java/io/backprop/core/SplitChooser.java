package io.backprop.core;

/**
 * Decides from a run's own step times whether its products borrow idle cores. Splitting a step across
 * cores pays only when both cores really run it. On this project's 2-core virtual machine the same
 * 784-512-512-10 run gained 1.15-1.3x split in a bare JVM but, in some launches, lost up to a third
 * inside the service, where the training thread and its helper both spent much of each epoch runnable
 * but not running (the kernel's schedstat), and a product's half that waits holds up the other. So
 * after a warm-up the run alternates blocks of steps with and without helpers, keeps whichever was
 * faster, and measures again now and then, as other runs come and go. Results do not depend on the
 * choice: a split product sums every element in the same order ({@link CorePool}).
 */
final class SplitChooser {

    /**
     * Steps before the first measurement: the JIT compiles the kernels in the first ones, and inside the
     * service it was still busy after the first hundred (784-512-512-10's split steps then looked slower).
     */
    static final int WARM_UP = 256;
    /** Steps per block; the first of each is not timed (the helpers wake up, caches change hands). */
    static final int BLOCK = 8;
    /** Blocks of each kind per measurement, interleaved so that drifts of the machine cancel out. */
    static final int ROUNDS = 6;
    /** Steps between measurements. */
    static final int RECHECK = 4096;
    /**
     * How much faster the other way must be to change: the first choice splits only when that is clearly
     * faster (on a tie the cores are left to other work), and later ones do not flip on noise.
     */
    static final double MARGIN = 0.97;

    private long step;
    private long measureFrom = WARM_UP;
    private boolean split = true;
    private boolean decided;
    private long splitNanos;
    private long soloNanos;
    private long lentBefore;
    private boolean lent;

    /** Whether the next step may borrow helpers. */
    boolean splitNext() {
        long i = step - measureFrom;
        if (i < 0 || i >= 2L * ROUNDS * BLOCK) {
            return split;
        }
        return (i / BLOCK) % 2 == 0;
    }

    /**
     * Records the step just taken (split as {@link #splitNext} said) and its duration.
     *
     * @param lentSoFar {@link CorePool#lent()} after the step: a measurement in which no product was
     *                  split (too small, or no idle core) decides nothing
     */
    void stepTook(long nanos, long lentSoFar) {
        long i = step - measureFrom;
        step++;
        if (i < 0 || i >= 2L * ROUNDS * BLOCK) {
            return;
        }
        if (i == 0) {
            splitNanos = 0;
            soloNanos = 0;
            lent = false;
            lentBefore = lentSoFar;
        }
        boolean timed = i % BLOCK != 0;
        if ((i / BLOCK) % 2 == 0) {
            lent |= lentSoFar != lentBefore;
            if (timed) {
                splitNanos += nanos;
            }
        } else if (timed) {
            soloNanos += nanos;
        }
        lentBefore = lentSoFar;
        if (i == 2L * ROUNDS * BLOCK - 1) {
            if (!lent) {
                split = true;
            } else if (split && decided) {
                split = soloNanos >= splitNanos * MARGIN;
            } else {
                split = splitNanos < soloNanos * MARGIN;
            }
            decided |= lent;
            measureFrom = step + RECHECK;
        }
    }

    /** The current choice, for logs and tests. */
    boolean split() {
        return split;
    }
}
