package io.backprop.core;

/**
 * The heap one training run needs at its peak, from its spec alone, so a service can refuse or queue
 * it before allocating anything. Counts what {@link Trainer} allocates (float32 everywhere):
 * <pre>
 *   data        rows × (features + target columns), twice while loading (the table and the trainer's copy)
 *               plus the row index arrays (split, order)
 *   parameters  P × (weights + gradients + optimizer state + best weights)
 *   checkpoint  P × (weights + state + best) + the epoch's row order, copied and then encoded: twice
 *   batch       B × (inputs + targets) + B × Σ units × (activations + deltas [+ dropout output and mask])
 *   layout      the first layer's weights once more where they train in panels ({@link TrainingLayout}),
 *               and the scratch of one conversion
 * </pre>
 * Loading and training do not overlap: the second data copy is garbage before the trainer allocates.
 *
 * @param dataBytes       one copy of the features and targets
 * @param trainingBytes   parameters, their copies, batch buffers and a checkpoint in flight
 */
public record TrainingMemory(long dataBytes, long trainingBytes) {

    /** A fixed allowance for object headers and the run's small objects, which the sums above leave out. */
    private static final long OVERHEAD = 1L << 20;

    /** The peak: the larger of loading (two copies of the data) and training (one copy and the rest). */
    public long peakBytes() {
        return dataBytes + Math.max(dataBytes, trainingBytes) + OVERHEAD;
    }

    /** Float32 tensors a checkpoint holds per parameter: the weights, the optimizer's state and the best weights. */
    public static long checkpointBytes(long parameters, OptimizerSpec optimizer, EarlyStoppingSpec earlyStopping) {
        boolean best = earlyStopping != null && earlyStopping.restoreBest();
        return 4L * parameters * (1 + optimizer.stateTensors() + (best ? 1 : 0));
    }

    public static TrainingMemory estimate(ModelSpec model, OptimizerSpec optimizer, TrainingConfig config, long rows) {
        long targetCols = model.loss() == Loss.CROSS_ENTROPY ? 1 : model.outputs();
        long data = 4L * rows * (model.inputs() + targetCols);
        long indices = 4L * rows * 3;
        long p = model.parameterCount();
        long stored = checkpointBytes(p, optimizer, config.earlyStopping());
        long parameters = stored + 4L * p;                                   // and the gradients
        long checkpoint = 2 * (stored + 4L * rows);                          // copied, then encoded
        long trainRows = Math.max(1, rows - config.validationRows(rows));
        long batch = Math.min(config.batchSize(), Math.max(trainRows, rows - trainRows));
        long perRow = model.inputs() + targetCols;
        for (int l = 0; l < model.layers().size(); l++) {
            LayerSpec layer = model.layers().get(l);
            perRow += (long) layer.units() * (layer.dropout() > 0 && l < model.layers().size() - 1 ? 4 : 2);
        }
        long buffers = 4L * batch * perRow;
        long layout = TrainingLayout.of(model).panelled(0) ? 2 * 4L * model.inputs() * model.layers().get(0).units() : 0;
        return new TrainingMemory(data, indices + parameters + checkpoint + buffers + layout);
    }
}
