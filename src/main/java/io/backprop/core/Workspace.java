package io.backprop.core;

import org.ejml.data.FMatrixRMaj;

/**
 * The preallocated buffers of one trainer: the batch's inputs and targets, and each layer's. Sized for
 * the largest batch once; every step reshapes in place, so training allocates nothing per step.
 */
final class Workspace {

    /** X (B, inputs) and the targets (B, 1) for cross_entropy, else (B, outputs). */
    final FMatrixRMaj xb;
    final FMatrixRMaj yb;
    final DenseLayer[] layers;
    private final int targetCols;
    /**
     * Each part of a gather copies at least this many floats (64 KB), so a batch of 64 rows of 784
     * features is copied in two parts where a core is idle. Before the first layer trained in panels
     * ({@link TrainingLayout}), a split gather of 64 rows cost more than it saved (784-128-10 at
     * 209,000-231,000 samples/s against 228,000-244,000, 2026-12-01), and the threshold was four times
     * this. With the products split too, each core now reads half the rows from the other's cache
     * instead of the helper reading all of them: epochs alternating the two thresholds within one launch
     * (2026-12-07) ran at medians of 200,786 and 220,256 samples/s against 194,749 and 208,753.
     */
    static final int MIN_PART_FLOATS = 1 << 14;

    Workspace(ModelSpec model, int batch, boolean training) {
        this.targetCols = targetColumns(model);
        this.xb = new FMatrixRMaj(batch, model.inputs());
        this.yb = new FMatrixRMaj(batch, targetCols);
        int last = model.layers().size() - 1;
        this.layers = new DenseLayer[last + 1];
        TrainingLayout layout = TrainingLayout.of(model);
        for (int l = 0; l <= last; l++) {
            LayerSpec spec = model.layers().get(l);
            layers[l] = new DenseLayer(spec, model.fanIn(l), batch, training && spec.dropout() > 0 && l < last, training,
                    training && layout.panelled(l));
        }
    }

    static int targetColumns(ModelSpec model) {
        return model.loss() == Loss.CROSS_ENTROPY ? 1 : model.outputs();
    }

    /** The output layer's activations. */
    FMatrixRMaj output() {
        return layers[layers.length - 1].act;
    }

    /** Gradient arrays in the parameters' order (dW0, db0, dW1, db1, …), for the optimizer. */
    float[][] gradientArrays() {
        float[][] grads = new float[layers.length * 2][];
        for (int l = 0; l < layers.length; l++) {
            grads[2 * l] = layers[l].gradW.data;
            grads[2 * l + 1] = layers[l].gradB.data;
        }
        return grads;
    }

    /**
     * Copies rows {@code order[start, start + rows)} of x and y into the batch. Modifies xb and yb. The
     * rows are scattered over the data set, so each copy waits on memory rather than on the core: a large
     * batch is copied in contiguous parts on the cores {@link CorePool} lends, which waits on more rows
     * at once.
     */
    void gather(FMatrixRMaj x, FMatrixRMaj y, int[] order, int start, int rows) {
        int in = x.numCols;
        xb.reshape(rows, in);
        yb.reshape(rows, targetCols);
        int parts = (int) Math.min(rows, (long) rows * in / MIN_PART_FLOATS);
        if (parts <= 1) {
            copyRows(x, y, order, start, 0, rows);
            return;
        }
        CorePool.forEachPart(parts,
                (part, of) -> copyRows(x, y, order, start, rows * part / of, rows * (part + 1) / of));
    }

    private void copyRows(FMatrixRMaj x, FMatrixRMaj y, int[] order, int start, int from, int to) {
        int in = x.numCols;
        for (int i = from; i < to; i++) {
            int r = order[start + i];
            System.arraycopy(x.data, r * in, xb.data, i * in, in);
            System.arraycopy(y.data, r * targetCols, yb.data, i * targetCols, targetCols);
        }
    }

    /** A whole batch as given (test hooks). Modifies xb and yb. */
    void load(FMatrixRMaj batchX, FMatrixRMaj batchY) {
        int rows = batchX.numRows;
        xb.reshape(rows, batchX.numCols);
        yb.reshape(rows, targetCols);
        System.arraycopy(batchX.data, 0, xb.data, 0, rows * batchX.numCols);
        System.arraycopy(batchY.data, 0, yb.data, 0, rows * targetCols);
    }

    /** @throws IllegalArgumentException when the data does not fit the model */
    static void validate(ModelSpec model, FMatrixRMaj x, FMatrixRMaj y) {
        int targetCols = targetColumns(model);
        if (x.numCols != model.inputs()) {
            throw new IllegalArgumentException("model expects " + model.inputs() + " inputs, data has " + x.numCols);
        }
        if (y.numRows != x.numRows || y.numCols != targetCols) {
            throw new IllegalArgumentException("targets must be (" + x.numRows + ", " + targetCols + ")");
        }
        if (x.numRows < 1) {
            throw new IllegalArgumentException("no rows to train on");
        }
        if (model.loss() == Loss.CROSS_ENTROPY) {
            for (int i = 0; i < y.numRows; i++) {
                float c = y.data[i];
                if (c != Math.rint(c) || c < 0 || c >= model.outputs()) {
                    throw new IllegalArgumentException("class index " + c + " at row " + i
                            + " is outside [0, " + model.outputs() + ")");
                }
            }
        }
    }
}
