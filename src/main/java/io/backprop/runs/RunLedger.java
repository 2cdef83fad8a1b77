package io.backprop.runs;

import io.backprop.config.BackpropProperties;
import io.backprop.datasets.DatasetDescription;
import io.backprop.datasets.DatasetService;
import io.backprop.web.FieldErrors;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * What workers and downloads need of runs: starting, recording progress, checkpoints and outcomes,
 * each write one transaction so a run's metrics and its checkpoint never disagree.
 */
@Service
public class RunLedger {

    private final RunRepository runs;
    private final RunStore store;
    private final RunSpecResolver resolver;
    private final DatasetService datasets;
    private final JsonMapper json;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final int maxAttempts;
    private final FairShare fairShare;

    RunLedger(RunRepository runs, RunStore store, RunSpecResolver resolver, DatasetService datasets, JsonMapper json,
              Clock clock, ApplicationEventPublisher events,
              BackpropProperties properties, FairShare fairShare) {
        this.events = events;
        this.fairShare = fairShare;
        this.maxAttempts = properties.maxAttempts();
        this.runs = runs;
        this.store = store;
        this.resolver = resolver;
        this.datasets = datasets;
        this.json = json;
        this.clock = clock;
    }

    /** What a worker needs to train a run it has just started. */
    /** @param epochBudget the epoch its study lets it reach before it waits for promotion, or null */
    public record Start(UUID runId, UUID tenantId, String name, int attempt, RunSpecResolver.Resolution resolution,
                        Optional<byte[]> checkpoint, Integer epochBudget) {
    }

    /** What {@link #begin} found: a run to train, nothing to do, or a run that must wait its turn. */
    public sealed interface Begin {

        record Started(Start start) implements Begin {
        }

        record Nothing() implements Begin {
        }

        /** Its tenant is at its running quota, or another tenant's turn comes first: it stays queued. */
        record Waiting() implements Begin {
        }
    }

    /**
     * Marks the run RUNNING for this worker as a new attempt. Empty when the run is gone, finished or
     * cancelled, or when it has lost {@code backprop.max-attempts} attempts already (it is failed then,
     * so a run that kills its instance does not crash-loop the cluster). Waiting when {@link FairShare}
     * gives the worker to another run.
     */
    @Transactional
    public Begin begin(UUID runId, String worker) {
        Run run = runs.findById(runId).orElse(null);
        if (run == null || run.status().terminal()) {
            return new Begin.Nothing();
        }
        if (run.cancelRequested()) {
            if (run.status() == RunStatus.QUEUED) {
                run.moveTo(RunStatus.CANCELLED, clock.instant(), "cancelled while queued");
            } else {
                run.moveTo(RunStatus.CANCELLED, clock.instant(), "cancelled; its previous attempt ended first");
            }
            events.publishEvent(RunEvent.Ended.of(run));
            return new Begin.Nothing();
        }
        if (run.status() == RunStatus.RUNNING) {
            run.lose(clock.instant(), "attempt " + run.attempts() + " lost");
        }
        if (run.lostAttempts() >= maxAttempts) {
            run.fail(clock.instant(), "gave up after " + run.attempts() + " attempts: " + run.lostAttempts()
                    + " of them ended with their instance or the database");
            events.publishEvent(RunEvent.Ended.of(run));
            return new Begin.Nothing();
        }
        RunSpecResolver.Resolution resolution = resolution(run);
        if (resolution == null) {
            run.fail(clock.instant(), "dataset is no longer available");
            events.publishEvent(RunEvent.Ended.of(run));
            return new Begin.Nothing();
        }
        if (!fairShare.mayStart(run)) {
            return new Begin.Waiting();
        }
        events.publishEvent(new RunEvent.AttemptStarted(runId, Duration.between(
                run.statusHistory().get(run.statusHistory().size() - 1).at(), clock.instant())));
        run.start(worker, clock.instant());
        Optional<byte[]> checkpoint = store.checkpoint(runId);
        return new Begin.Started(new Start(runId, run.tenantId(), run.name(), run.attempts(), resolution, checkpoint,
                run.epochBudget()));
    }

    /**
     * The heap a run needs at its peak, read before it starts so the worker can reserve it; empty when
     * the run is gone or finished, 0 when its data is gone ({@link #begin} then fails it).
     */
    @Transactional(readOnly = true)
    public OptionalLong memoryNeeded(UUID runId) {
        Run run = runs.findById(runId).orElse(null);
        if (run == null || run.status().terminal()) {
            return OptionalLong.empty();
        }
        RunSpecResolver.Resolution resolution = resolution(run);
        return OptionalLong.of(resolution == null ? 0 : resolution.memory().peakBytes());
    }

    /** The core's view of a stored run; null when its dataset is gone. */
    private RunSpecResolver.Resolution resolution(Run run) {
        RunSpec spec = json.readValue(run.spec(), RunSpec.class);
        DatasetDescription dataset = datasets.describe(run.tenantId(), spec.dataset(), "$.dataset", new FieldErrors());
        return dataset == null ? null : resolver.reload(spec, dataset);
    }

    /** Removes what a lost attempt wrote after the checkpoint this one resumes from (0, 0: everything). */
    @Transactional
    public void rollbackAfter(UUID runId, int attempt, int completedEpochs, long globalStep) {
        store.fence(runId, attempt);
        store.rollbackAfter(runId, completedEpochs, globalStep);
    }

    /** Per-step losses and progress. */
    @Transactional
    public void recordSteps(UUID runId, int attempt, List<MetricRows.Step> steps, Progress progress) {
        store.fence(runId, attempt);
        store.insertSteps(runId, steps);
        store.updateProgress(runId, progress);
    }

    /**
     * An epoch's row (may be null for a mid-epoch checkpoint), the steps since the last write, progress
     * and the checkpoint, atomically.
     */
    @Transactional
    public void recordCheckpoint(UUID runId, int attempt, MetricRows.Epoch epoch, List<MetricRows.Step> steps,
                                 Progress progress, int checkpointEpoch, long checkpointStep, byte[] checkpoint) {
        store.fence(runId, attempt);
        store.insertSteps(runId, steps);
        if (epoch != null) {
            store.insertEpoch(runId, epoch);
        }
        store.updateProgress(runId, progress);
        store.saveCheckpoint(runId, checkpointEpoch, checkpointStep, checkpoint, clock.instant());
    }

    /** SUCCEEDED with its final weights, in one transaction. */
    @Transactional
    public void succeed(UUID runId, int attempt, List<MetricRows.Step> steps, Progress progress, byte[] weights,
                        String sha256, String reason) {
        store.fence(runId, attempt);
        store.insertSteps(runId, steps);
        store.updateProgress(runId, progress);
        store.saveWeights(runId, weights, sha256, clock.instant());
        store.deleteCheckpoint(runId);
        Run run = runs.findById(runId).orElseThrow();
        run.moveTo(RunStatus.SUCCEEDED, clock.instant(), reason);
        events.publishEvent(RunEvent.Ended.of(run));
    }

    /** FAILED for the run's own fault (divergence, bad data, out of budget); progress may be null. */
    @Transactional
    public void fail(UUID runId, int attempt, List<MetricRows.Step> steps, Progress progress, String message) {
        store.fence(runId, attempt);
        store.insertSteps(runId, steps);
        if (progress != null) {
            store.updateProgress(runId, progress);
        }
        Run run = runs.findById(runId).orElseThrow();
        run.fail(clock.instant(), message);
        events.publishEvent(RunEvent.Ended.of(run));
    }

    @Transactional
    public void cancelled(UUID runId, int attempt, List<MetricRows.Step> steps, Progress progress, String reason) {
        store.fence(runId, attempt);
        store.insertSteps(runId, steps);
        store.updateProgress(runId, progress);
        Run run = runs.findById(runId).orElseThrow();
        run.moveTo(RunStatus.CANCELLED, clock.instant(), reason);
        events.publishEvent(RunEvent.Ended.of(run));
    }

    /**
     * Back to QUEUED for another attempt. {@code lost}: the attempt ended without the run's say (it
     * counts towards {@code backprop.max-attempts}); otherwise it was released on purpose at shutdown.
     */
    @Transactional
    public void handBack(UUID runId, int attempt, String reason, boolean lost) {
        store.fence(runId, attempt);
        Run run = runs.findById(runId).orElseThrow();
        if (lost) {
            run.lose(clock.instant(), reason);
        } else {
            run.requeue(clock.instant(), reason);
        }
    }

    /** Released at shutdown: the checkpoint and the hand-back in one transaction, so a retry never writes twice. */
    @Transactional
    public void releaseAfterCheckpoint(UUID runId, int attempt, List<MetricRows.Step> steps, Progress progress,
                                       int checkpointEpoch, long checkpointStep, byte[] checkpoint, String reason) {
        recordCheckpoint(runId, attempt, null, steps, progress, checkpointEpoch, checkpointStep, checkpoint);
        handBack(runId, attempt, reason, false);
    }

    /**
     * Lets a run its study waits on train further: to {@code epochBudget} (null: to its end) from the
     * checkpoint where it stopped. False when the run is not waiting (gone, or ended meanwhile).
     */
    @Transactional
    public boolean promote(UUID runId, Integer epochBudget) {
        Run run = runs.findById(runId).orElse(null);
        if (run == null || run.status() != RunStatus.QUEUED) {
            return false;
        }
        run.budget(epochBudget);
        events.publishEvent(new RunEvent.Resumed(runId));
        return true;
    }

    /** Ends a run its study will not train further (a queued one at once; a running one at its next batch). */
    @Transactional
    public void prune(UUID runId, String reason) {
        runs.findById(runId).ifPresent(run -> {
            if (run.status() == RunStatus.QUEUED) {
                run.moveTo(RunStatus.CANCELLED, clock.instant(), reason);
                events.publishEvent(RunEvent.Ended.of(run));
                events.publishEvent(new RunEvent.Resumed(runId));
            } else if (run.status() == RunStatus.RUNNING) {
                store.requestCancel(runId);
                events.publishEvent(new RunEvent.CancelRequested(runId));
            }
        });
    }

    /** Back to QUEUED because its instance stopped heartbeating or was found dead: whatever attempt it was on is lost. */
    @Transactional
    public void lost(UUID runId, String reason) {
        runs.findById(runId).ifPresent(run -> {
            if (run.status() == RunStatus.RUNNING) {
                run.lose(clock.instant(), reason);
            }
        });
    }

    /** Failed before any attempt could train it (an error outside training). */
    @Transactional
    public void failOutsideTraining(UUID runId, String message) {
        runs.findById(runId).ifPresent(run -> {
            if (run.status().canMoveTo(RunStatus.FAILED)) {
                run.fail(clock.instant(), message);
                events.publishEvent(RunEvent.Ended.of(run));
            }
        });
    }

    public Set<UUID> cancelRequested(Collection<UUID> runIds) {
        return store.cancelRequested(runIds);
    }
}
