package io.backprop.datasets;

import java.util.List;

/**
 * A dataset in memory, row-major float32.
 *
 * @param classes  classification: sorted class names, output unit i is classes[i]; for several label
 *                 columns (multi-label) the label names; empty for regression
 * @param features rows × featureNames.size()
 * @param labels   rows × labelNames.size(): a class index for single-label classification, 0/1 for
 *                 multi-label, the value for regression
 */
public record DatasetTable(List<String> featureNames, List<String> labelNames, Task task, List<String> classes,
                           int rows, float[] features, float[] labels) {

    public DatasetTable {
        featureNames = List.copyOf(featureNames);
        labelNames = List.copyOf(labelNames);
        classes = List.copyOf(classes);
    }

    public int featureCount() {
        return featureNames.size();
    }

    public int labelCount() {
        return labelNames.size();
    }
}
