package io.backprop.studies;

import java.util.ArrayList;
import java.util.List;

/**
 * A study's request as the driver reads it back: strategy, limits and, for successive halving, the
 * rungs (minEpochs, × factor, ..., the base spec's epochs).
 */
record Plan(String type, int maxConcurrent, int factor, List<Integer> rungs, Goal goal) {

    static List<Integer> rungs(int minEpochs, int factor, int maxEpochs) {
        List<Integer> rungs = new ArrayList<>();
        for (long r = minEpochs; r < maxEpochs; r *= factor) {
            rungs.add((int) r);
        }
        rungs.add(maxEpochs);
        return rungs;
    }

    boolean halving() {
        return type.equals("asha");
    }

    /** The epoch budget of rung {@code k}; null for the last, which trains to the spec's epochs. */
    Integer budget(int k) {
        return !halving() || k >= rungs.size() - 1 ? null : rungs.get(k);
    }

    boolean lastRung(int k) {
        return !halving() || k >= rungs.size() - 1;
    }
}
