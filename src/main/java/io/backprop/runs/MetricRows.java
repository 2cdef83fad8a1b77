package io.backprop.runs;

/** Rows of a run's loss history. NaN metrics (no validation split, mse accuracy) are stored as null. */
public final class MetricRows {

    private MetricRows() {
    }

    /** One epoch, as {@code GET /api/v1/runs/{id}/metrics} lists it. */
    public record Epoch(int epoch, Double loss, Double valLoss, Double accuracy, Double valAccuracy,
                        Double learningRate, long durationMs, Double samplesPerSecond) {
    }

    /** One optimizer step's loss, exact. */
    public record Step(long step, int epoch, Double loss) {
    }

    public static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
