package io.backprop.runs;

import io.backprop.datasets.DatasetUsage;
import java.util.EnumSet;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** A dataset is in use while a queued or running run trains on it. */
@Component
class ActiveRunsDatasetUsage implements DatasetUsage {

    private final RunRepository runs;

    ActiveRunsDatasetUsage(RunRepository runs) {
        this.runs = runs;
    }

    @Override
    public boolean usedByActiveRun(UUID datasetId) {
        return runs.existsByDatasetIdAndStatusIn(datasetId, EnumSet.of(RunStatus.QUEUED, RunStatus.RUNNING));
    }
}
