package io.backprop.jobs;

import io.backprop.core.EpochEvent;
import io.backprop.core.StepEvent;
import java.util.UUID;

/** Hooks for metrics while runs train; the observability feature implements it. */
public interface TrainingObserver {

    void started(UUID runId, String runName, int epochs);

    void step(UUID runId, StepEvent event);

    void epoch(UUID runId, String runName, EpochEvent event);

    void checkpointWritten(long bytes);

    void weightsWritten(long bytes);

    /** The run left this worker: finished, failed, cancelled or released. */
    void ended(UUID runId, String outcome);
}
