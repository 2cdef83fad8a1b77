package io.backprop.core;

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

    /** The first layer's weights as (rows, cols): the shape its column split and the optimizer's follow. */
    int rows() {
        return rows;
    }

    int cols() {
        return cols;
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
