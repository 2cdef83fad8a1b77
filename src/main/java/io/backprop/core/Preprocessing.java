package io.backprop.core;

import org.ejml.data.FMatrixRMaj;

/**
 * Per-feature standardization (x - mean) / std, with std the divisor actually used: the population
 * standard deviation (as scikit-learn's StandardScaler), or 1 for a constant column.
 */
public record Preprocessing(float[] mean, float[] std) {

    public static Preprocessing identity(int features) {
        float[] ones = new float[features];
        java.util.Arrays.fill(ones, 1f);
        return new Preprocessing(new float[features], ones);
    }

    /** Statistics over the given rows of {@code x}, accumulated in double. */
    public static Preprocessing fit(FMatrixRMaj x, int[] rows, int count) {
        int cols = x.numCols;
        double[] sum = new double[cols];
        for (int i = 0; i < count; i++) {
            int off = rows[i] * cols;
            for (int j = 0; j < cols; j++) {
                sum[j] += x.data[off + j];
            }
        }
        float[] mean = new float[cols];
        for (int j = 0; j < cols; j++) {
            mean[j] = (float) (sum[j] / count);
        }
        double[] sq = new double[cols];
        for (int i = 0; i < count; i++) {
            int off = rows[i] * cols;
            for (int j = 0; j < cols; j++) {
                double d = x.data[off + j] - (double) mean[j];
                sq[j] += d * d;
            }
        }
        float[] std = new float[cols];
        for (int j = 0; j < cols; j++) {
            double s = Math.sqrt(sq[j] / count);
            std[j] = s > 1e-12 ? (float) s : 1f;
        }
        return new Preprocessing(mean, std);
    }

    /**
     * With {@code standardize}, the standardization fitted on the training rows, already applied to
     * {@code x} (modified); else the identity.
     */
    static Preprocessing of(FMatrixRMaj x, int[] trainRows, boolean standardize) {
        if (!standardize) {
            return identity(x.numCols);
        }
        Preprocessing fitted = fit(x, trainRows, trainRows.length);
        fitted.applyInPlace(x);
        return fitted;
    }

    /** Standardizes every row of {@code x}. Modifies {@code x}. */
    public void applyInPlace(FMatrixRMaj x) {
        int cols = mean.length;
        if (x.numCols != cols) {
            throw new IllegalArgumentException("expected " + cols + " features, got " + x.numCols);
        }
        for (int r = 0; r < x.numRows; r++) {
            int off = r * cols;
            for (int j = 0; j < cols; j++) {
                x.data[off + j] = (x.data[off + j] - mean[j]) / std[j];
            }
        }
    }
}
