package io.backprop.observability;

import io.backprop.config.BackpropProperties;
import io.backprop.core.EpochEvent;
import io.backprop.core.StepEvent;
import io.backprop.jobs.TrainingEvent;
import org.springframework.context.event.EventListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.backprop.identity.TenantDirectory;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Training-work metrics. Per-run series (labels {@code run_id}, {@code run_name}) exist only while the
 * run trains on this instance and are removed when it leaves, so cardinality is bounded by the
 * workers and no stale loss lingers on a dashboard.
 */
@Component
class TrainingMetrics {

    private final MeterRegistry registry;
    private final Timer epochDuration;
    private final Timer stepDuration;
    private final Counter checkpointBytes;
    private final Counter weightsBytes;
    private final AtomicInteger busy = new AtomicInteger();
    private final Map<UUID, RunSeries> runs = new ConcurrentHashMap<>();
    private final TenantDirectory tenants;

    TrainingMetrics(MeterRegistry registry, BackpropProperties properties, TenantDirectory tenants) {
        this.tenants = tenants;
        this.registry = registry;
        this.epochDuration = Timer.builder("backprop.epoch.duration").description("Wall time of one training epoch")
                .publishPercentileHistogram().register(registry);
        this.stepDuration = Timer.builder("backprop.step.duration")
                .description("Wall time from one optimizer step to the next, evaluation and checkpoints included")
                .publishPercentileHistogram().register(registry);
        this.checkpointBytes = Counter.builder("backprop.checkpoints.written").baseUnit("bytes")
                .description("Bytes of checkpoints written").register(registry);
        this.weightsBytes = Counter.builder("backprop.weights.written").baseUnit("bytes")
                .description("Bytes of final weights written").register(registry);
        Gauge.builder("backprop.workers.busy", busy, AtomicInteger::get)
                .description("Workers of this instance training a run now").register(registry);
        Gauge.builder("backprop.workers", properties, BackpropProperties::effectiveWorkers)
                .description("Worker threads of this instance").register(registry);
    }

    /** The live values behind one run's gauges, and its meters to remove at the end. */
    private static final class RunSeries {
        volatile double epoch;
        volatile double loss = Double.NaN;
        volatile double valLoss = Double.NaN;
        volatile double accuracy = Double.NaN;
        volatile double progress;
        long lastStepNanos;
        final int epochs;
        final Counter samples;
        final List<Meter> meters;

        RunSeries(MeterRegistry registry, UUID runId, String runName, String tenant, int epochs) {
            this.epochs = epochs;
            Tags tags = Tags.of("run_id", runId.toString(), "run_name", runName, "tenant", tenant);
            this.samples = Counter.builder("backprop.samples.trained").description("Training samples processed")
                    .tags(tags).register(registry);
            this.meters = List.of(samples,
                    Gauge.builder("backprop.run.epoch", this, s -> s.epoch).description("Epochs completed by a running run")
                            .tags(tags).register(registry),
                    Gauge.builder("backprop.run.loss", this, s -> s.loss).description("Latest training loss of a running run")
                            .tags(tags).register(registry),
                    Gauge.builder("backprop.run.val.loss", this, s -> s.valLoss)
                            .description("Latest validation loss of a running run").tags(tags).register(registry),
                    Gauge.builder("backprop.run.accuracy", this, s -> s.accuracy)
                            .description("Latest training accuracy of a running run").tags(tags).register(registry),
                    Gauge.builder("backprop.run.progress", this, s -> s.progress)
                            .description("Fraction of a running run's steps done").tags(tags).register(registry));
        }
    }

    @EventListener
    void started(TrainingEvent.AttemptStarted e) {
        UUID runId = e.runId();
        busy.incrementAndGet();
        runs.put(runId, new RunSeries(registry, runId, e.runName(), tenants.name(e.tenantId()), e.epochs()));
    }

    @EventListener
    void step(TrainingEvent.StepTrained event) {
        StepEvent e = event.step();
        RunSeries s = runs.get(event.runId());
        if (s == null) {
            return;
        }
        s.samples.increment(e.samples());
        s.loss = e.loss();
        s.progress = ((e.epoch() - 1) * (double) e.stepsPerEpoch() + e.step()) / ((double) s.epochs * e.stepsPerEpoch());
        // steps are timed end to end, from the previous step's event, without touching the trainer
        long now = System.nanoTime();
        if (s.lastStepNanos != 0) {
            stepDuration.record(now - s.lastStepNanos, TimeUnit.NANOSECONDS);
        }
        s.lastStepNanos = now;
    }

    @EventListener
    void epoch(TrainingEvent.EpochFinished event) {
        EpochEvent e = event.epoch();
        epochDuration.record(e.durationNanos(), TimeUnit.NANOSECONDS);
        RunSeries s = runs.get(event.runId());
        if (s != null) {
            s.epoch = e.epoch();
            s.loss = e.loss();
            s.valLoss = e.valLoss();
            s.accuracy = e.accuracy();
        }
    }

    @EventListener
    void checkpointWritten(TrainingEvent.CheckpointWritten e) {
        checkpointBytes.increment(e.bytes());
    }

    @EventListener
    void weightsWritten(TrainingEvent.WeightsWritten e) {
        weightsBytes.increment(e.bytes());
    }

    @EventListener
    void ended(TrainingEvent.AttemptEnded e) {
        RunSeries s = runs.remove(e.runId());
        if (s != null) {
            s.meters.forEach(registry::remove);
            busy.decrementAndGet();
        }
    }
}
