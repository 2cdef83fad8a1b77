package io.backprop.jobs;

import io.backprop.config.Digests;
import io.backprop.config.BackpropProperties;
import io.backprop.core.Checkpoint;
import io.backprop.core.Network;
import io.backprop.core.Trainer;
import io.backprop.core.TrainingResult;
import io.backprop.datasets.DatasetService;
import io.backprop.runs.RunLedger;
import io.backprop.runs.RunSpec;
import io.backprop.runs.RunSpecResolver;
import io.backprop.weights.TrainedModel;
import io.backprop.weights.WeightsService;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Trains one run on the calling worker thread, from scratch or from its last checkpoint. */
@Component
class TrainingWorker {

    private static final System.Logger LOG = System.getLogger(TrainingWorker.class.getName());

    enum Outcome {
        /** Finished one way or another: succeeded, failed, cancelled, or nothing to do. */
        DONE,
        /** Checkpointed and handed back for another attempt (this instance is shutting down). */
        RELEASED
    }

    private final RunLedger ledger;
    private final DatasetService datasets;
    private final WeightsService weights;
    private final CancelFlags flags;
    private final BackpropProperties properties;
    private final InstanceName instance;
    private final TrainingObserver observer;
    private final Clock clock;

    TrainingWorker(RunLedger ledger, DatasetService datasets, WeightsService weights, CancelFlags flags,
                   BackpropProperties properties, InstanceName instance, TrainingObserver observer, Clock clock) {
        this.ledger = ledger;
        this.datasets = datasets;
        this.weights = weights;
        this.flags = flags;
        this.properties = properties;
        this.instance = instance;
        this.observer = observer;
        this.clock = clock;
    }

    Outcome train(UUID runId) {
        if (flags.shuttingDown()) {
            return Outcome.RELEASED;
        }
        Optional<RunLedger.Start> begun = ledger.begin(runId, instance.value());
        if (begun.isEmpty()) {
            return Outcome.DONE;
        }
        RunLedger.Start start = begun.get();
        RunSpecResolver.Resolution r = start.resolution();
        flags.register(runId);
        observer.started(runId, start.name(), r.config().epochs());
        RunRecorder recorder = null;
        String outcome = "failed";
        try {
            TrainingData data = TrainingData.of(datasets.load(r.dataset().resolved()), r.model());
            Trainer trainer;
            if (start.checkpoint().isPresent()) {
                Checkpoint cp = Checkpoint.decode(start.checkpoint().get());
                ledger.rollbackAfter(runId, cp.epoch(), cp.globalStep());
                trainer = Trainer.resume(r.model(), r.optimizer(), r.config(), data.x(), data.y(), cp);
                LOG.log(Level.INFO, "run " + runId + " attempt " + start.attempt() + ": resuming at epoch "
                        + (cp.epoch() + 1) + ", step " + cp.globalStep());
            } else {
                RunSpec.InitialWeights init = r.spec().initialWeights();
                Network initial = init == null ? null : weights.initialNetwork(init, r.model());
                trainer = new Trainer(r.model(), r.optimizer(), r.config(), data.x(), data.y(), initial);
                LOG.log(Level.INFO, "run " + runId + " attempt " + start.attempt() + ": training "
                        + r.config().epochs() + " epochs of " + trainer.stepsPerEpoch() + " steps");
            }
            recorder = new RunRecorder(runId, start.name(), trainer, ledger, clock, properties.stepLossFlushInterval(),
                    properties.checkpointInterval(), trainer.monitor(), observer);
            TrainingResult result = trainer.train(recorder, () -> flags.stopRequested(runId));
            switch (result.reason()) {
                case COMPLETED, EARLY_STOPPED -> {
                    byte[] file = new TrainedModel(r.spec(), r.dataset().classes(), trainer.preprocessing(),
                            trainer.network()).toSafetensors();
                    ledger.succeed(runId, recorder.drain(), recorder.progress(), file, Digests.sha256(file),
                            result.message());
                    observer.weightsWritten(file.length);
                    outcome = "succeeded";
                    LOG.log(Level.INFO, "run " + runId + " succeeded: " + result.message());
                }
                case DIVERGED -> {
                    ledger.fail(runId, recorder.drain(), recorder.progress(), "diverged: " + result.message());
                    LOG.log(Level.WARNING, "run " + runId + " diverged: " + result.message());
                }
                case CANCELLED -> {
                    if (flags.cancelled(runId)) {
                        ledger.cancelled(runId, recorder.drain(), recorder.progress(), result.message());
                        outcome = "cancelled";
                        LOG.log(Level.INFO, "run " + runId + " cancelled: " + result.message());
                    } else {
                        Checkpoint cp = trainer.checkpoint();
                        ledger.recordCheckpoint(runId, null, recorder.drain(), recorder.progress(), cp.epoch(),
                                cp.globalStep(), cp.encode());
                        ledger.release(runId, "released by " + instance.value() + " at shutdown");
                        outcome = "released";
                        LOG.log(Level.INFO, "run " + runId + " released at shutdown after a checkpoint at step "
                                + cp.globalStep());
                        return Outcome.RELEASED;
                    }
                }
            }
            return Outcome.DONE;
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.log(Level.ERROR, "run " + runId + " failed", e);
            ledger.fail(runId, recorder == null ? List.of() : recorder.drain(),
                    recorder == null ? null : recorder.progress(), e.getClass().getSimpleName() + ": " + e.getMessage());
            return Outcome.DONE;
        } finally {
            flags.unregister(runId);
            observer.ended(runId, outcome);
        }
    }
}
