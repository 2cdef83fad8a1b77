package io.backprop.core;

/**
 * One dense layer.
 *
 * @param parameter leaky_relu's slope or elu's alpha; ignored by the others
 * @param dropout   probability of zeroing an output in training (inverted dropout), in [0, 1)
 */
public record LayerSpec(int units, Activation activation, double parameter, double dropout) {

    public LayerSpec {
        if (units < 1) {
            throw new IllegalArgumentException("units must be at least 1, was " + units);
        }
        if (activation == null) {
            throw new IllegalArgumentException("activation is required");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), was " + dropout);
        }
        if (!Double.isFinite(parameter)) {
            throw new IllegalArgumentException("activation parameter must be finite");
        }
    }

    public static LayerSpec of(int units, Activation activation) {
        return new LayerSpec(units, activation, activation.defaultParameter(), 0.0);
    }
}
