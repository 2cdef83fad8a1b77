package io.backprop.core;

/** An epoch's running totals: sample-weighted loss and, for classification, correct predictions. */
final class EpochStats {

    double lossSum;
    long correct;
    long predictions;
    long samples;

    void reset() {
        lossSum = 0;
        correct = 0;
        predictions = 0;
        samples = 0;
    }

    void add(double batchLoss, int rows, long batchCorrect, long batchPredictions) {
        lossSum += batchLoss * rows;
        samples += rows;
        correct += batchCorrect;
        predictions += batchPredictions;
    }

    double meanLoss() {
        return lossSum / samples;
    }

    double accuracy(boolean classification) {
        return classification ? (double) correct / predictions : Double.NaN;
    }

    void restore(double lossSum, long correct, long predictions, long samples) {
        this.lossSum = lossSum;
        this.correct = correct;
        this.predictions = predictions;
        this.samples = samples;
    }
}
