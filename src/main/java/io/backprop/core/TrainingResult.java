package io.backprop.core;

/**
 * How a run ended.
 *
 * @param message   for people: why it stopped
 * @param bestEpoch 1-based epoch with the best monitored value, 0 if none completed
 */
public record TrainingResult(StopReason reason, String message, int epochsCompleted, long steps,
                             String monitor, int bestEpoch, double bestValue) {

    public enum StopReason {
        COMPLETED, EARLY_STOPPED, DIVERGED, CANCELLED
    }
}
