package io.backprop.runs;

/**
 * Where a worker is, written to the run row as it trains.
 *
 * @param epoch completed epochs
 * @param step  steps taken in the current epoch
 */
public record Progress(int epoch, int step, int stepsPerEpoch, long globalStep, Double loss, Double valLoss,
                       Double accuracy, Double valAccuracy, Integer bestEpoch, String bestMonitor, Double bestValue) {
}
