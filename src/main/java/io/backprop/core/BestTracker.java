package io.backprop.core;

/**
 * Tracks the best epoch of a monitored metric and decides early stopping (Keras' EarlyStopping
 * semantics: stop once {@code patience} epochs in a row brought no improvement larger than minDelta).
 * The comparison follows {@code mode}, so {@code max} on accuracy keeps the highest epoch, not the
 * lowest (the bug of deeplearning4j#5459).
 */
final class BestTracker {

    final String monitor;
    private final boolean maximize;
    private final int patience;
    private final double minDelta;
    final boolean stops;
    final boolean restoreBest;

    double bestValue = Double.NaN;
    int bestEpoch;
    int wait;
    /** Copies of the parameters at the best epoch, when they are to be restored. */
    final float[][] bestParams;

    BestTracker(EarlyStoppingSpec spec, String fallbackMonitor, float[][] params) {
        if (spec == null) {
            this.monitor = fallbackMonitor;
            this.maximize = false;
            this.patience = Integer.MAX_VALUE;
            this.minDelta = 0;
            this.stops = false;
            this.restoreBest = false;
        } else {
            this.monitor = spec.monitor();
            this.maximize = spec.maximize();
            this.patience = spec.patience();
            this.minDelta = spec.minDelta();
            this.stops = true;
            this.restoreBest = spec.restoreBest();
        }
        this.bestParams = restoreBest ? Optimizer.zerosLike(params) : new float[0][];
    }

    /**
     * The tracker of a run: early stopping's monitor, else val_loss with a validation split, else loss.
     *
     * @throws IllegalArgumentException when the monitor cannot be computed for this run
     */
    static BestTracker forRun(EarlyStoppingSpec es, int validationRows, boolean classification, float[][] params) {
        if (es != null && es.monitor().startsWith("val_") && validationRows == 0) {
            throw new IllegalArgumentException("early stopping on " + es.monitor() + " needs a validation split");
        }
        if (es != null && es.monitor().contains("accuracy") && !classification) {
            throw new IllegalArgumentException("accuracy is not defined for the mse loss");
        }
        return new BestTracker(es, validationRows > 0 ? "val_loss" : "loss", params);
    }

    double pick(double loss, double valLoss, double accuracy, double valAccuracy) {
        return switch (monitor) {
            case "val_loss" -> valLoss;
            case "accuracy" -> accuracy;
            case "val_accuracy" -> valAccuracy;
            default -> loss;
        };
    }

    /**
     * Records an epoch's value. Modifies this tracker (and its copy of the parameters on improvement).
     *
     * @return whether training should stop now
     */
    boolean update(int epoch, double value, float[][] params) {
        boolean improved = Double.isFinite(value)
                && (bestEpoch == 0 || (maximize ? value > bestValue + minDelta : value < bestValue - minDelta));
        if (improved) {
            bestValue = value;
            bestEpoch = epoch;
            wait = 0;
            for (int i = 0; i < bestParams.length; i++) {
                System.arraycopy(params[i], 0, bestParams[i], 0, params[i].length);
            }
        } else {
            wait++;
        }
        return stops && wait >= patience;
    }

    /** Back to a checkpoint's best epoch and patience count. Modifies this tracker. */
    void restore(double value, int epoch, int epochsWithoutImprovement, float[][] params) {
        bestValue = value;
        bestEpoch = epoch;
        wait = epochsWithoutImprovement;
        Checkpoint.copyInto(params, bestParams, "best parameters");
    }

    /** Copies the best epoch's parameters back. Modifies {@code params}. */
    void restoreInto(float[][] params) {
        if (restoreBest && bestEpoch > 0) {
            for (int i = 0; i < params.length; i++) {
                System.arraycopy(bestParams[i], 0, params[i], 0, params[i].length);
            }
        }
    }
}
