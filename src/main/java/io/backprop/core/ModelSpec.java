package io.backprop.core;

import java.util.List;

/** A multilayer perceptron: input width, dense layers, loss, initialization (null: per activation). */
public record ModelSpec(int inputs, List<LayerSpec> layers, Loss loss, Init init) {

    public ModelSpec {
        layers = List.copyOf(layers);
        if (inputs < 1) {
            throw new IllegalArgumentException("inputs must be at least 1, was " + inputs);
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("at least one layer is required");
        }
        if (loss == null) {
            throw new IllegalArgumentException("loss is required");
        }
        for (int i = 0; i < layers.size() - 1; i++) {
            if (layers.get(i).activation() == Activation.SOFTMAX) {
                throw new IllegalArgumentException("softmax is allowed on the last layer only (layer " + i + ")");
            }
        }
        Activation out = layers.get(layers.size() - 1).activation();
        if (loss == Loss.CROSS_ENTROPY && out != Activation.SOFTMAX) {
            throw new IllegalArgumentException("cross_entropy needs a softmax output layer");
        }
        if (out == Activation.SOFTMAX && loss != Loss.CROSS_ENTROPY) {
            throw new IllegalArgumentException("a softmax output layer needs the cross_entropy loss");
        }
        if (loss == Loss.BINARY_CROSS_ENTROPY && out != Activation.SIGMOID) {
            throw new IllegalArgumentException("binary_cross_entropy needs a sigmoid output layer");
        }
        if (loss == Loss.CROSS_ENTROPY && layers.get(layers.size() - 1).units() < 2) {
            throw new IllegalArgumentException("cross_entropy needs at least 2 output units");
        }
    }

    public int outputs() {
        return layers.get(layers.size() - 1).units();
    }

    /** Width of layer i's input. */
    public int fanIn(int layer) {
        return layer == 0 ? inputs : layers.get(layer - 1).units();
    }

    public Init initFor(int layer) {
        return init != null ? init : Init.defaultFor(layers.get(layer).activation());
    }

    /** Weights and biases, in long arithmetic so absurd specs are caught before allocation. */
    public long parameterCount() {
        long total = 0;
        for (int i = 0; i < layers.size(); i++) {
            long units = layers.get(i).units();
            total += units * fanIn(i) + units;
        }
        return total;
    }
}
