package io.backprop.core;

/**
 * How to train.
 *
 * @param clipNorm      total L2 norm to clip gradients to ({@code clip_grad_norm_}); null for none
 * @param earlyStopping null for none
 */
public record TrainingConfig(int epochs, int batchSize, boolean shuffle, long seed, double validationSplit,
                             boolean standardize, Double clipNorm, ScheduleSpec schedule,
                             EarlyStoppingSpec earlyStopping) {

    public TrainingConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1");
        }
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("validationSplit must be in [0, 1)");
        }
        if (clipNorm != null && (!(clipNorm > 0) || clipNorm.isInfinite())) {
            throw new IllegalArgumentException("clipNorm must be > 0");
        }
        if (schedule == null) {
            schedule = ScheduleSpec.CONSTANT;
        }
    }

    /** How many of {@code rows} rows validate: at least one when the split is positive. The one rule. */
    public int validationRows(long rows) {
        return validationSplit > 0 ? (int) Math.max(1, (long) Math.floor(rows * validationSplit)) : 0;
    }

    public static TrainingConfig simple(int epochs, int batchSize, long seed) {
        return new TrainingConfig(epochs, batchSize, true, seed, 0.0, false, null, null, null);
    }
}
