package io.backprop.runs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A run as {@code GET /api/v1/runs/{id}} shows it. */
record RunResponse(UUID id, String name, Map<String, String> tags, RunStatus status, RunSpec spec,
                   ProgressView progress, MetricsView metrics, BestView best, List<StatusView> statusHistory,
                   int attempts, Instant createdAt, Instant startedAt, Instant finishedAt, String error) {

    record ProgressView(int epoch, int epochs, int step, int stepsPerEpoch, double fraction, Long etaSeconds) {
    }

    record MetricsView(Double loss, Double valLoss, Double accuracy, Double valAccuracy) {
    }

    record BestView(Integer epoch, String monitor, Double value) {
    }

    record StatusView(RunStatus status, Instant at, String reason) {
    }

    static RunResponse of(Run run, RunSpec spec, Clock clock) {
        int epochs = run.epochs();
        double fraction;
        if (run.status() == RunStatus.SUCCEEDED) {
            fraction = 1.0;
        } else if (run.stepsPerEpoch() > 0) {
            fraction = Math.min(1.0, (run.epoch() * (double) run.stepsPerEpoch() + run.step())
                    / ((double) epochs * run.stepsPerEpoch()));
        } else {
            fraction = 0.0;
        }
        Long eta = null;
        if (run.status() == RunStatus.RUNNING && fraction > 0 && run.startedAt() != null) {
            double elapsed = Duration.between(run.startedAt(), clock.instant()).toMillis() / 1000.0;
            eta = Math.round(elapsed * (1 - fraction) / fraction);
        }
        BestView best = run.bestEpoch() == null ? null : new BestView(run.bestEpoch(), run.bestMonitor(), run.bestValue());
        return new RunResponse(run.id(), run.name(), Map.copyOf(run.tags()), run.status(), spec,
                new ProgressView(run.epoch(), epochs, run.step(), run.stepsPerEpoch(), fraction, eta),
                new MetricsView(run.loss(), run.valLoss(), run.accuracy(), run.valAccuracy()), best,
                run.statusHistory().stream().map(s -> new StatusView(s.status(), s.at(), s.reason())).toList(),
                run.attempts(), run.createdAt(), run.startedAt(), run.finishedAt(), run.error());
    }
}
