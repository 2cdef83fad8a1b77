package io.backprop.datasets;

import java.util.UUID;

/** Answers whether a queued or running run still needs a dataset; implemented where runs live. */
public interface DatasetUsage {

    boolean usedByActiveRun(UUID datasetId);
}
