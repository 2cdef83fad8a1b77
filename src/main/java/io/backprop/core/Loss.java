package io.backprop.core;

/**
 * Losses with PyTorch's {@code mean} reduction: {@code cross_entropy} over the batch, {@code mse} and
 * {@code binary_cross_entropy} over all elements.
 */
public enum Loss {
    /** Class-index targets; the output layer must be softmax, whose Jacobian is folded in. */
    CROSS_ENTROPY("cross_entropy"),
    /** 0/1 targets, one or more sigmoid outputs; the sigmoid's derivative is folded in. */
    BINARY_CROSS_ENTROPY("binary_cross_entropy"),
    MSE("mse");

    /** PyTorch clamps BCE's logarithms at -100 so a saturated sigmoid gives a finite loss. */
    private static final double LOG_FLOOR = -100.0;

    private final String id;

    Loss(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Loss fromId(String id) {
        for (Loss l : values()) {
            if (l.id.equals(id)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + id + "'");
    }

    public boolean classification() {
        return this != MSE;
    }

    /**
     * The loss of outputs {@code a} {@code (rows, cols)} against targets {@code y}: for
     * {@code cross_entropy} {@code y} is {@code (rows, 1)} class indices, otherwise {@code (rows, cols)}.
     */
    double value(float[] a, float[] y, int rows, int cols) {
        double sum = 0;
        switch (this) {
            case CROSS_ENTROPY -> {
                // -log p[target], p from the softmax layer (PyTorch: log_softmax + nll_loss)
                for (int r = 0; r < rows; r++) {
                    sum -= Math.max(Math.log(a[r * cols + (int) y[r]]), LOG_FLOOR);
                }
                return sum / rows;
            }
            case BINARY_CROSS_ENTROPY -> {
                int n = rows * cols;
                for (int i = 0; i < n; i++) {
                    double p = a[i];
                    double t = y[i];
                    sum -= t * Math.max(Math.log(p), LOG_FLOOR) + (1 - t) * Math.max(Math.log1p(-p), LOG_FLOOR);
                }
                return sum / n;
            }
            case MSE -> {
                int n = rows * cols;
                for (int i = 0; i < n; i++) {
                    double d = a[i] - y[i];
                    sum += d * d;
                }
                return sum / n;
            }
        }
        throw new AssertionError(this);
    }

    /**
     * Exact cross-entropy from logits {@code z (rows, cols)} by log-sum-exp (PyTorch's log_softmax +
     * nll_loss), so a saturated softmax still reports its true, possibly huge, loss.
     */
    static double crossEntropyOfLogits(float[] z, float[] y, int rows, int cols) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, z[off + j]);
            }
            double exps = 0;
            for (int j = 0; j < cols; j++) {
                exps += Math.exp(z[off + j] - max);
            }
            sum += max + Math.log(exps) - z[off + (int) y[r]];
        }
        return sum / rows;
    }

    /**
     * Writes dL/dz for cross_entropy and binary_cross_entropy (output activation folded in) or dL/da
     * for mse into {@code grad}. Modifies {@code grad} only.
     * <ul>
     *   <li>cross_entropy with softmax: (p - onehot) / N</li>
     *   <li>binary_cross_entropy with sigmoid: (p - y) / (N C)</li>
     *   <li>mse: 2 (a - y) / (N C)</li>
     * </ul>
     */
    void gradient(float[] a, float[] y, float[] grad, int rows, int cols) {
        int n = rows * cols;
        switch (this) {
            case CROSS_ENTROPY -> {
                float inv = 1f / rows;
                for (int i = 0; i < n; i++) {
                    grad[i] = a[i] * inv;
                }
                for (int r = 0; r < rows; r++) {
                    grad[r * cols + (int) y[r]] -= inv;
                }
            }
            case BINARY_CROSS_ENTROPY -> {
                float inv = 1f / n;
                for (int i = 0; i < n; i++) {
                    grad[i] = (a[i] - y[i]) * inv;
                }
            }
            case MSE -> {
                float scale = 2f / n;
                for (int i = 0; i < n; i++) {
                    grad[i] = (a[i] - y[i]) * scale;
                }
            }
        }
    }

    /** Whether the output activation's derivative is already part of {@link #gradient}. */
    boolean foldsOutputActivation() {
        return this != MSE;
    }

    /**
     * Correct predictions among the first {@code rows} rows: argmax for cross_entropy, each output
     * thresholded at 0.5 for binary_cross_entropy (so the count is over rows * cols elements).
     */
    int correct(float[] a, float[] y, int rows, int cols) {
        int correct = 0;
        switch (this) {
            case CROSS_ENTROPY -> {
                for (int r = 0; r < rows; r++) {
                    if (predictedClass(a, r * cols, cols) == (int) y[r]) {
                        correct++;
                    }
                }
            }
            case BINARY_CROSS_ENTROPY -> {
                int n = rows * cols;
                for (int i = 0; i < n; i++) {
                    if (predictedOn(a[i]) == (y[i] >= 0.5f)) {
                        correct++;
                    }
                }
            }
            case MSE -> {
            }
        }
        return correct;
    }

    /** The class a softmax row predicts: its first largest unit. The one rule, for accuracy and for serving. */
    public static int predictedClass(float[] outputs, int offset, int cols) {
        int best = 0;
        for (int j = 1; j < cols; j++) {
            if (outputs[offset + j] > outputs[offset + best]) {
                best = j;
            }
        }
        return best;
    }

    /** Whether a sigmoid unit predicts its label: at or above 0.5. */
    public static boolean predictedOn(float probability) {
        return probability >= 0.5f;
    }

    /** How many predictions {@link #correct} counts over. */
    int predictions(int rows, int cols) {
        return this == BINARY_CROSS_ENTROPY ? rows * cols : rows;
    }
}
