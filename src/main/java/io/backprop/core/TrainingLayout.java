package io.backprop.core;

import org.ejml.data.FMatrixRMaj;

/**
 * How a trainer holds its parameters where that differs from the {@link Network}'s row-major
 * {@code (in, out)}: the first layer's weights, their gradient and the optimizer's state for them train
 * in the {@link Panels} layout when the layer's units are whole panels, so a product split by columns
 * leaves each core one contiguous stretch of them. Only the first layer: every other layer's weights are
 * also read transposed by the input gradient ({@code dZ·Wᵀ}), which reads them row-major.
 *
 * <p>The layout stays inside the trainer: what comes in (initial weights, a checkpoint) is converted
 * once, and what goes out (the network, a checkpoint) is row-major, so a checkpoint resumes in either
 * layout. Sets of per-parameter arrays (the parameters, each optimizer buffer, the best epoch's copy)
 * hold the first layer's weights at every index that is a multiple of the number of parameters.
 */
final class TrainingLayout {

    private final boolean panelled;
    private final int rows;
    private final int cols;

    private TrainingLayout(boolean panelled, int rows, int cols) {
        this.panelled = panelled;
        this.rows = rows;
        this.cols = cols;
    }

    static TrainingLayout of(ModelSpec model) {
        int units = model.layers().get(0).units();
        return new TrainingLayout(Panels.fits(units), model.inputs(), units);
    }

    /** Whether layer {@code layer}'s weights and their gradient are in the panel layout. */
    boolean panelled(int layer) {
        return panelled && layer == 0;
    }

    /**
     * The parameters to train: the network's own arrays, except the first layer's weights, copied into
     * this layout where it differs (the network's then lag until {@link #intoNetwork}).
     */
    float[][] parameters(Network network) {
        float[][] params = network.parameterArrays();
        if (panelled) {
            params[0] = params[0].clone();
            toTraining(params, params.length);
        }
        return params;
    }

    /** Each layer's weights as the products read them: the network's, or the first layer's in {@code params}. */
    FMatrixRMaj[] weights(Network network, float[][] params) {
        FMatrixRMaj[] weights = new FMatrixRMaj[network.layerCount()];
        for (int l = 0; l < weights.length; l++) {
            weights[l] = panelled(l) ? FMatrixRMaj.wrap(rows, cols, params[0]) : network.weight(l);
        }
        return weights;
    }

    /** Has the optimizer update the panelled weights in the column ranges of products over {@code batch} rows. */
    void alignOptimizer(Optimizer optimizer, int batch) {
        if (panelled) {
            optimizer.updateByColumns(0, rows, cols, (long) batch * rows * cols);
        }
    }

    /** Brings the network's first-layer weights up to date from {@code params}. Modifies the network. */
    void intoNetwork(float[][] params, Network network) {
        if (panelled) {
            Panels.toRowMajor(params[0], rows, cols, network.weight(0).data);
        }
    }

    /** Row-major into this layout, in place, at every index that is a multiple of {@code parameters}. */
    void toTraining(float[][] arrays, int parameters) {
        convert(arrays, parameters, true);
    }

    /** This layout into row-major, in place, at every index that is a multiple of {@code parameters}. */
    void toNetwork(float[][] arrays, int parameters) {
        convert(arrays, parameters, false);
    }

    private void convert(float[][] arrays, int parameters, boolean toPanels) {
        if (!panelled) {
            return;
        }
        for (int i = 0; i < arrays.length; i += parameters) {
            float[] source = arrays[i].clone();
            if (toPanels) {
                Panels.fromRowMajor(source, rows, cols, arrays[i]);
            } else {
                Panels.toRowMajor(source, rows, cols, arrays[i]);
            }
        }
    }
}
