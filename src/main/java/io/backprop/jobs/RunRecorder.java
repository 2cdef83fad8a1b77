package io.backprop.jobs;

import io.backprop.config.LogSafe;
import io.backprop.core.Checkpoint;
import io.backprop.core.EpochEvent;
import io.backprop.core.StepEvent;
import io.backprop.core.Trainer;
import io.backprop.core.TrainingListener;
import io.backprop.runs.MetricRows;
import io.backprop.runs.Progress;
import io.backprop.runs.RunLedger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Writes a training run's progress as it happens: per-step losses buffered and written in batches,
 * one epoch row per epoch, and a checkpoint after every epoch and at least every checkpoint interval
 * within long epochs, each written together with the metrics it covers.
 */
final class RunRecorder implements TrainingListener {

    private static final System.Logger LOG = System.getLogger(RunRecorder.class.getName());

    private final UUID runId;
    private final int attempt;
    private final String runName;
    private final Trainer trainer;
    private final RunLedger ledger;
    private final Clock clock;
    private final Duration flushInterval;
    private final Duration checkpointInterval;
    private final String monitor;
    private final ApplicationEventPublisher events;
    private final DatabaseRetry retry;
    private final List<MetricRows.Step> pending = new ArrayList<>();
    private Instant lastFlush;
    private Instant lastCheckpoint;
    private Progress progress;

    RunRecorder(UUID runId, int attempt, String runName, Trainer trainer, RunLedger ledger, Clock clock,
                Duration flushInterval, Duration checkpointInterval, String monitor, ApplicationEventPublisher events,
                DatabaseRetry retry) {
        this.runId = runId;
        this.attempt = attempt;
        this.retry = retry;
        this.runName = runName;
        this.trainer = trainer;
        this.ledger = ledger;
        this.clock = clock;
        this.flushInterval = flushInterval;
        this.checkpointInterval = checkpointInterval;
        this.monitor = monitor;
        this.events = events;
        this.lastFlush = clock.instant();
        this.lastCheckpoint = lastFlush;
        this.progress = new Progress(trainer.epoch(), 0, trainer.stepsPerEpoch(), trainer.globalStep(), null, null,
                null, null, null, monitor, null);
    }

    @Override
    public void onStep(StepEvent e) {
        pending.add(new MetricRows.Step(e.globalStep(), e.epoch(), MetricRows.finiteOrNull(e.loss())));
        progress = new Progress(e.epoch() - 1, e.step(), e.stepsPerEpoch(), e.globalStep(),
                MetricRows.finiteOrNull(e.loss()), progress.valLoss(), progress.accuracy(), progress.valAccuracy(),
                progress.bestEpoch(), monitor, progress.bestValue());
        events.publishEvent(new TrainingEvent.StepTrained(runId, e));
        Instant now = clock.instant();
        if (e.step() < e.stepsPerEpoch() && Duration.between(lastCheckpoint, now).compareTo(checkpointInterval) >= 0) {
            checkpoint(null, now);
        } else if (Duration.between(lastFlush, now).compareTo(flushInterval) >= 0) {
            write("recording steps of", (steps, p) -> ledger.recordSteps(runId, attempt, steps, p));
            lastFlush = now;
        }
    }

    @Override
    public void onEpoch(EpochEvent e) {
        double seconds = e.durationNanos() / 1e9;
        Double samplesPerSecond = seconds > 0 ? e.samples() / seconds : null;
        progress = new Progress(e.epoch(), 0, progress.stepsPerEpoch(), progress.globalStep(),
                MetricRows.finiteOrNull(e.loss()), MetricRows.finiteOrNull(e.valLoss()),
                MetricRows.finiteOrNull(e.accuracy()), MetricRows.finiteOrNull(e.valAccuracy()),
                e.bestEpoch() > 0 ? e.bestEpoch() : null, monitor, MetricRows.finiteOrNull(e.bestValue()));
        MetricRows.Epoch row = new MetricRows.Epoch(e.epoch(), MetricRows.finiteOrNull(e.loss()),
                MetricRows.finiteOrNull(e.valLoss()), MetricRows.finiteOrNull(e.accuracy()),
                MetricRows.finiteOrNull(e.valAccuracy()), e.learningRate(), e.durationNanos() / 1_000_000,
                samplesPerSecond);
        checkpoint(row, clock.instant());
        events.publishEvent(new TrainingEvent.EpochFinished(runId, runName, e));
        LOG.log(Level.INFO, String.format("run %s (%s) epoch %d/%d: loss %.5g, val_loss %s, accuracy %s, %.0f samples/s",
                runId, LogSafe.of(runName), e.epoch(), e.epochs(), e.loss(), fmt(e.valLoss()), fmt(e.accuracy()),
                samplesPerSecond == null ? 0.0 : samplesPerSecond));
    }

    private void checkpoint(MetricRows.Epoch row, Instant now) {
        Checkpoint cp = trainer.checkpoint();
        byte[] bytes = cp.encode();
        write("checkpointing", (steps, p) -> ledger.recordCheckpoint(runId, attempt, row, steps, p,
                cp.epoch(), cp.globalStep(), bytes));
        events.publishEvent(new TrainingEvent.CheckpointWritten(runId, bytes.length));
        lastCheckpoint = now;
        lastFlush = now;
    }

    /**
     * One write of this attempt: the steps buffered since the last and the progress now, handed to
     * {@code write} (with whatever else it records), retried through database faults.
     */
    void write(String what, BiConsumer<List<MetricRows.Step>, Progress> write) {
        List<MetricRows.Step> steps = drain();
        Progress p = progress;
        retry.run(what + " run " + runId, () -> write.accept(steps, p));
    }

    /** The buffered steps, handed over; the buffer starts empty again. */
    private List<MetricRows.Step> drain() {
        List<MetricRows.Step> steps = List.copyOf(pending);
        pending.clear();
        return steps;
    }


    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format("%.5g", v) : "-";
    }
}
