package io.backprop.core;

/**
 * One epoch done. Metrics that do not apply (validation without a split, accuracy for mse) are NaN.
 *
 * @param epoch     1-based epoch just completed
 * @param loss      mean training loss over the epoch's batches, weighted by batch size
 * @param bestEpoch the best epoch so far by the monitored metric
 */
public record EpochEvent(int epoch, int epochs, double loss, double valLoss, double accuracy, double valAccuracy,
                         double learningRate, long durationNanos, int samples, int bestEpoch, double bestValue) {
}
