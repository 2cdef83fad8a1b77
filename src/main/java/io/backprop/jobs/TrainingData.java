package io.backprop.jobs;

import io.backprop.core.Loss;
import io.backprop.core.ModelSpec;
import io.backprop.datasets.DatasetTable;
import org.ejml.data.FMatrixRMaj;

/** A dataset as the core's matrices, targets shaped for the run's loss. */
record TrainingData(FMatrixRMaj x, FMatrixRMaj y) {

    /**
     * Features are copied, since the trainer standardizes them in place and built-in tables are shared.
     * Targets: class indices (rows, 1) for cross_entropy and for a binary label under
     * binary_cross_entropy; the label columns otherwise.
     */
    static TrainingData of(DatasetTable table, ModelSpec model) {
        FMatrixRMaj x = new FMatrixRMaj(table.rows(), table.featureCount());
        System.arraycopy(table.features(), 0, x.data, 0, table.features().length);
        int cols = model.loss() == Loss.CROSS_ENTROPY ? 1 : model.outputs();
        FMatrixRMaj y = new FMatrixRMaj(table.rows(), cols);
        System.arraycopy(table.labels(), 0, y.data, 0, table.rows() * cols);
        return new TrainingData(x, y);
    }
}
