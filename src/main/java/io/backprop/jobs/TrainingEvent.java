package io.backprop.jobs;

import io.backprop.core.EpochEvent;
import io.backprop.core.StepEvent;
import java.util.UUID;

/** What a training attempt tells the rest of the service as it goes, published as application events. */
public sealed interface TrainingEvent {

    /** An attempt began training a run on this instance. */
    record AttemptStarted(UUID runId, UUID tenantId, String runName, int epochs) implements TrainingEvent {
    }

    /** One optimizer step. */
    record StepTrained(UUID runId, StepEvent step) implements TrainingEvent {
    }

    /** One epoch, validation included, recorded with its checkpoint. */
    record EpochFinished(UUID runId, String runName, EpochEvent epoch) implements TrainingEvent {
    }

    record CheckpointWritten(UUID runId, long bytes) implements TrainingEvent {
    }

    record WeightsWritten(UUID runId, long bytes) implements TrainingEvent {
    }

    /**
     * The attempt left this worker.
     *
     * @param outcome succeeded, failed, cancelled, released or superseded
     */
    record AttemptEnded(UUID runId, String outcome) implements TrainingEvent {
    }
}
