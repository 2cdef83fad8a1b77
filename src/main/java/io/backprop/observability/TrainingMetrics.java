package io.backprop.observability;

import io.backprop.core.EpochEvent;
import io.backprop.core.StepEvent;
import io.backprop.jobs.TrainingObserver;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Placeholder until the Prometheus metrics land: records nothing. */
@Component
class TrainingMetrics implements TrainingObserver {

    @Override
    public void started(UUID runId, String runName, int epochs) {
    }

    @Override
    public void step(UUID runId, StepEvent event) {
    }

    @Override
    public void epoch(UUID runId, String runName, EpochEvent event) {
    }

    @Override
    public void checkpointWritten(long bytes) {
    }

    @Override
    public void weightsWritten(long bytes) {
    }

    @Override
    public void ended(UUID runId, String outcome) {
    }
}
