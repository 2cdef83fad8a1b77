package io.backprop.core;

import java.util.Arrays;

/**
 * Which rows train and which validate: a deterministic shuffle from the run's generator when there
 * is a validation split (at least one row when the split is positive), both lists sorted.
 */
record DataSplit(int[] trainRows, int[] valRows) {

    /** @throws IllegalArgumentException when no training row is left */
    static DataSplit of(int n, TrainingConfig config, Rng rng) {
        double validationSplit = config.validationSplit();
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        int valCount = config.validationRows(n);
        if (validationSplit > 0) {
            rng.shuffle(rows, n);
        }
        if (n - valCount < 1) {
            throw new IllegalArgumentException("no training rows left after the validation split");
        }
        int[] val = Arrays.copyOfRange(rows, n - valCount, n);
        int[] train = Arrays.copyOfRange(rows, 0, n - valCount);
        Arrays.sort(train);
        Arrays.sort(val);
        return new DataSplit(train, val);
    }
}
