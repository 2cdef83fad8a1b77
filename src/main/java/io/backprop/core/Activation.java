package io.backprop.core;

/**
 * Element-wise activations. Every derivative here is written in terms of the activation's output
 * {@code a}, so the forward pass can overwrite its pre-activation and the backward pass needs no
 * second buffer (the trick llm.c uses for GELU's neighbours and micrograd's {@code tanh}).
 */
public enum Activation {
    SIGMOID("sigmoid"),
    TANH("tanh"),
    RELU("relu"),
    LEAKY_RELU("leaky_relu"),
    ELU("elu"),
    LINEAR("linear"),
    SOFTMAX("softmax");

    private final String id;

    Activation(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Activation fromId(String id) {
        for (Activation a : values()) {
            if (a.id.equals(id)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + id + "'");
    }

    /** Whether {@code he_*} initialization suits it (the ReLU family). */
    public boolean reluFamily() {
        return this == RELU || this == LEAKY_RELU || this == ELU;
    }

    /** The parameter's default: slope 0.01 for leaky_relu, alpha 1.0 for elu (PyTorch's). */
    public double defaultParameter() {
        return switch (this) {
            case LEAKY_RELU -> 0.01;
            case ELU -> 1.0;
            default -> 0.0;
        };
    }

    /**
     * Applies the activation in place to the first {@code rows} rows of a row-major {@code (rows, cols)}
     * block. Modifies {@code z}, which holds the output afterwards.
     */
    void forward(float[] z, int rows, int cols, float parameter) {
        int n = rows * cols;
        switch (this) {
            case SIGMOID -> {
                // 1/(1+e^-z), computed without overflow for large |z|
                for (int i = 0; i < n; i++) {
                    float v = z[i];
                    if (v >= 0) {
                        z[i] = (float) (1.0 / (1.0 + Math.exp(-v)));
                    } else {
                        double e = Math.exp(v);
                        z[i] = (float) (e / (1.0 + e));
                    }
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    z[i] = (float) Math.tanh(z[i]);
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    z[i] = Math.max(z[i], 0f);
                }
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < n; i++) {
                    float v = z[i];
                    z[i] = v > 0 ? v : v * parameter;
                }
            }
            case ELU -> {
                for (int i = 0; i < n; i++) {
                    float v = z[i];
                    z[i] = v > 0 ? v : (float) (parameter * Math.expm1(v));
                }
            }
            case LINEAR -> {
            }
            case SOFTMAX -> softmaxRows(z, rows, cols);
        }
    }

    /**
     * Multiplies {@code grad} by the derivative at the output {@code a}: dL/dz = dL/da * f'(z).
     * Softmax is not handled here: the losses fold it in. Modifies {@code grad}.
     */
    void backward(float[] a, float[] grad, int n, float parameter) {
        switch (this) {
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    float y = a[i];
                    grad[i] *= y * (1f - y);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    float y = a[i];
                    grad[i] *= 1f - y * y;
                }
            }
            case RELU -> {
                // a >= 0, so min(a·2¹²⁷·2¹²⁷, 1) is the step: 1 for every positive a, subnormals included,
                // and 0 at 0. C2 vectorizes this; the conditional it replaces stayed a branch, mispredicted
                // for every unit randomly on or off (3.5 ns an element on the large benchmark network).
                for (int i = 0; i < n; i++) {
                    grad[i] *= Math.min(a[i] * 0x1p127f * 0x1p127f, 1f);
                }
            }
            case LEAKY_RELU -> {
                // the slope is positive, so a > 0 exactly where z > 0
                for (int i = 0; i < n; i++) {
                    grad[i] = a[i] > 0 ? grad[i] : grad[i] * parameter;
                }
            }
            case ELU -> {
                // for z <= 0: d/dz alpha(e^z - 1) = alpha e^z = a + alpha
                for (int i = 0; i < n; i++) {
                    float y = a[i];
                    grad[i] = y > 0 ? grad[i] : grad[i] * (y + parameter);
                }
            }
            case LINEAR -> {
            }
            case SOFTMAX -> throw new IllegalStateException("softmax's gradient is folded into cross_entropy");
        }
    }

    /** Row-wise softmax, max-subtracted for stability. Modifies {@code z}. */
    private static void softmaxRows(float[] z, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, z[off + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(z[off + j] - max);
                z[off + j] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < cols; j++) {
                z[off + j] *= inv;
            }
        }
    }
}
