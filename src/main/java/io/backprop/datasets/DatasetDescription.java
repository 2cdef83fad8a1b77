package io.backprop.datasets;

import java.util.List;
import java.util.UUID;

/**
 * What a run needs to know of its data before loading it.
 *
 * @param uploadedId the uploaded dataset's id, null for built-ins and generators
 * @param resolved   the reference with generator defaults filled in
 */
public record DatasetDescription(UUID uploadedId, DatasetRef resolved, int rows, List<String> featureNames,
                                 List<String> labelNames, Task task, List<String> classes) {

    public boolean multiLabel() {
        return task == Task.CLASSIFICATION && labelNames.size() > 1;
    }
}
