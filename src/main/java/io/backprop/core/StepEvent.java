package io.backprop.core;

/**
 * One optimizer step done.
 *
 * @param epoch      1-based epoch
 * @param step       1-based step within the epoch
 * @param globalStep 1-based step over the run
 * @param loss       the batch's loss before the update
 */
public record StepEvent(int epoch, int step, int stepsPerEpoch, long globalStep, double loss,
                        double learningRate, int samples) {
}
