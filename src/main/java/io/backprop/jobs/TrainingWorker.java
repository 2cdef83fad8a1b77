package io.backprop.jobs;

import io.backprop.config.BackpropProperties;
import io.backprop.config.Digests;
import io.backprop.core.Checkpoint;
import io.backprop.core.Network;
import io.backprop.core.Trainer;
import io.backprop.core.TrainingResult;
import io.backprop.datasets.DatasetService;
import io.backprop.models.TrainedModel;
import io.backprop.models.WeightsCatalog;
import io.backprop.runs.AttemptSuperseded;
import io.backprop.runs.RunLedger;
import io.backprop.runs.RunSpec;
import io.backprop.runs.RunSpecResolver;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Trains one run on the calling worker thread, from scratch or from its last checkpoint, as one
 * attempt: every write carries the attempt's number and is refused once another attempt has taken the
 * run over. Database faults are retried for a while, then the run is handed back to resume elsewhere.
 */
@Component
class TrainingWorker {

    private static final System.Logger LOG = System.getLogger(TrainingWorker.class.getName());

    enum Outcome {
        /** Finished one way or another: succeeded, failed, cancelled, or nothing to do. */
        DONE,
        /** Checkpointed and handed back for another attempt (shutdown, or a database fault outlasted the retries). */
        RELEASED,
        /** Not started: the memory budget is taken by other runs, or it is another tenant's turn; the run stays queued. */
        DEFERRED,
        /** Stopped at its study's epoch budget, checkpointed and queued: it waits for the study to promote or prune it. */
        PAUSED,
        /** Another attempt owns the run now (this one was frozen or cut off): nothing more to do or write. */
        SUPERSEDED
    }

    private final RunLedger ledger;
    private final DatasetService datasets;
    private final WeightsCatalog weights;
    private final CancelFlags flags;
    private final BackpropProperties properties;
    private final InstanceName instance;
    private final ApplicationEventPublisher events;
    private final MemoryBudget budget;
    private final DatabaseRetry retry;
    private final Clock clock;

    TrainingWorker(RunLedger ledger, DatasetService datasets, WeightsCatalog weights, CancelFlags flags,
                   BackpropProperties properties, InstanceName instance, ApplicationEventPublisher events,
                   MemoryBudget budget, DatabaseRetry retry, Clock clock) {
        this.ledger = ledger;
        this.datasets = datasets;
        this.weights = weights;
        this.flags = flags;
        this.properties = properties;
        this.instance = instance;
        this.events = events;
        this.budget = budget;
        this.retry = retry;
        this.clock = clock;
    }

    Outcome train(UUID runId) {
        if (flags.shuttingDown()) {
            return Outcome.RELEASED;
        }
        OptionalLong needed = retry.call("sizing run " + runId, () -> ledger.memoryNeeded(runId));
        long bytes = needed.orElse(0);
        if (needed.isPresent() && !budget.tryReserve(bytes)) {
            return Outcome.DEFERRED;
        }
        try {
            RunLedger.Begin begun = retry.call("starting run " + runId, () -> ledger.begin(runId, instance.value()));
            if (begun instanceof RunLedger.Begin.Started started) {
                return attempt(started.start());
            }
            return begun instanceof RunLedger.Begin.Waiting ? Outcome.DEFERRED : Outcome.DONE;
        } finally {
            budget.release(bytes);
        }
    }

    private Outcome attempt(RunLedger.Start start) {
        UUID runId = start.runId();
        int attempt = start.attempt();
        RunSpecResolver.Resolution r = start.resolution();
        flags.register(runId);
        events.publishEvent(new TrainingEvent.AttemptStarted(runId, start.tenantId(), start.name(), r.config().epochs()));
        RunRecorder recorder = null;
        String outcome = "failed";
        try {
            TrainingData data = TrainingData.of(retry.call("loading the data of run " + runId,
                    () -> datasets.load(r.dataset().resolved())), r.model());
            Checkpoint from = start.checkpoint().map(Checkpoint::decode).orElse(null);
            // a lost attempt may have written rows past the checkpoint (or, before its first, steps
            // from the start) that this one writes again
            retry.run("rolling back run " + runId, () -> ledger.rollbackAfter(runId, attempt,
                    from == null ? 0 : from.epoch(), from == null ? 0 : from.globalStep()));
            Trainer trainer;
            if (from != null) {
                trainer = Trainer.resume(r.model(), r.optimizer(), r.config(), data.x(), data.y(), from);
                LOG.log(Level.INFO, "run " + runId + " attempt " + attempt + ": resuming at epoch "
                        + (from.epoch() + 1) + ", step " + from.globalStep());
            } else {
                RunSpec.InitialWeights init = r.spec().initialWeights();
                Network initial = init == null ? null : retry.call("reading initial weights of run " + runId,
                        () -> weights.initialNetwork(start.tenantId(), init, r.model()));
                trainer = new Trainer(r.model(), r.optimizer(), r.config(), data.x(), data.y(), initial);
                LOG.log(Level.INFO, "run " + runId + " attempt " + attempt + ": training "
                        + r.config().epochs() + " epochs of " + trainer.stepsPerEpoch() + " steps");
            }
            recorder = new RunRecorder(runId, attempt, start.name(), trainer, ledger, clock,
                    properties.stepLossFlushInterval(), properties.checkpointInterval(), trainer.monitor(), events, retry);
            Integer budget = start.epochBudget();
            Trainer training = trainer;
            TrainingResult result = trainer.train(recorder, () -> flags.stopRequested(runId)
                    || (budget != null && training.epoch() >= budget));
            RunRecorder rec = recorder;
            switch (result.reason()) {
                case COMPLETED, EARLY_STOPPED -> {
                    byte[] file = new TrainedModel(r.spec(), r.dataset().classes(), trainer.preprocessing(),
                            trainer.network()).toSafetensors();
                    rec.write("finishing", (steps, progress) -> ledger.succeed(runId, attempt, steps, progress,
                            file, Digests.sha256(file), result.message()));
                    events.publishEvent(new TrainingEvent.WeightsWritten(runId, file.length));
                    outcome = "succeeded";
                    LOG.log(Level.INFO, "run " + runId + " succeeded: " + result.message());
                }
                case DIVERGED -> {
                    rec.write("failing", (steps, progress) -> ledger.fail(runId, attempt, steps, progress,
                            "diverged: " + result.message()));
                    LOG.log(Level.WARNING, "run " + runId + " diverged: " + result.message());
                }
                case CANCELLED -> {
                    if (budget != null && trainer.epoch() >= budget && !flags.stopRequested(runId)) {
                        // its study decides whether it goes on: checkpointed, queued, with no execution of its own
                        Checkpoint cp = trainer.checkpoint();
                        byte[] encoded = cp.encode();
                        rec.write("pausing", (steps, progress) -> ledger.releaseAfterCheckpoint(runId, attempt, steps,
                                progress, cp.epoch(), cp.globalStep(), encoded, "reached its study's budget of "
                                        + budget + " epochs; waits for promotion"));
                        outcome = "paused";
                        return Outcome.PAUSED;
                    }
                    if (flags.cancelled(runId)) {
                        rec.write("cancelling", (steps, progress) -> ledger.cancelled(runId, attempt, steps,
                                progress, result.message()));
                        outcome = "cancelled";
                        LOG.log(Level.INFO, "run " + runId + " cancelled: " + result.message());
                    } else {
                        Checkpoint cp = trainer.checkpoint();
                        byte[] encoded = cp.encode();
                        rec.write("releasing", (steps, progress) -> ledger.releaseAfterCheckpoint(runId, attempt, steps,
                                progress, cp.epoch(), cp.globalStep(), encoded, "released by " + instance.value() + " at shutdown"));
                        outcome = "released";
                        LOG.log(Level.INFO, "run " + runId + " released at shutdown after a checkpoint at step "
                                + cp.globalStep());
                        return Outcome.RELEASED;
                    }
                }
            }
            return Outcome.DONE;
        } catch (AttemptSuperseded e) {
            outcome = "superseded";
            LOG.log(Level.WARNING, e.getMessage());
            return Outcome.SUPERSEDED;
        } catch (DatabaseRetry.DatabaseUnavailable e) {
            outcome = "released";
            LOG.log(Level.WARNING, "run " + runId + " attempt " + attempt + " handed back: " + e.getMessage());
            return handBack(runId, attempt, "attempt " + attempt + " on " + instance.value() + " handed back: "
                    + e.getMessage());
        } catch (OutOfMemoryError e) {
            outcome = "released";
            LOG.log(Level.ERROR, "run " + runId + " attempt " + attempt + " ran out of memory; handed back", e);
            return handBack(runId, attempt, "attempt " + attempt + " on " + instance.value() + " ran out of memory");
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "run " + runId + " failed", e);
            RunRecorder rec = recorder;
            try {
                String message = e.getClass().getSimpleName() + ": " + e.getMessage();
                if (rec == null) {
                    retry.run("failing run " + runId, () -> ledger.fail(runId, attempt, List.of(), null, message));
                } else {
                    rec.write("failing", (steps, progress) -> ledger.fail(runId, attempt, steps, progress, message));
                }
            } catch (RuntimeException notRecorded) {
                // the run stays RUNNING; dead-execution detection hands it back once this attempt stops heartbeating
                LOG.log(Level.WARNING, "run " + runId + " attempt " + attempt + " could not record its failure: " + notRecorded);
            }
            return Outcome.DONE;
        } finally {
            flags.unregister(runId);
            events.publishEvent(new TrainingEvent.AttemptEnded(runId, outcome));
        }
    }

    /**
     * Back to the queue, counted as a lost attempt. When even that write fails, the run is left RUNNING
     * and db-scheduler's dead-execution detection hands it back once this instance's heartbeats for it stop.
     */
    private Outcome handBack(UUID runId, int attempt, String reason) {
        try {
            retry.run("handing back run " + runId, () -> ledger.handBack(runId, attempt, reason, true));
            return Outcome.RELEASED;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "run " + runId + " attempt " + attempt + " could not hand itself back: " + e);
            return Outcome.SUPERSEDED;
        }
    }
}
