package io.backprop.observability;

import io.backprop.runs.RunEvent;
import io.backprop.runs.RunViews;
import io.backprop.runs.RunStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Run lifecycle metrics: submissions, outcomes, runs by status (from the database, so every replica
 * reports the cluster-wide count), time spent queued and run duration.
 */
@Component
class RunMetrics {

    private final MeterRegistry registry;
    private final Counter submitted;
    private final Timer queued;

    RunMetrics(MeterRegistry registry, RunViews runs) {
        this.registry = registry;
        this.submitted = Counter.builder("backprop.runs.submitted").description("Runs accepted for training")
                .register(registry);
        this.queued = Timer.builder("backprop.run.queued").description("Time a run waited in the queue before an attempt started")
                .publishPercentileHistogram().register(registry);
        for (RunStatus status : new RunStatus[] {RunStatus.QUEUED, RunStatus.RUNNING}) {
            Gauge.builder("backprop.runs", runs, r -> r.count(status))
                    .description("Runs by status now, across all instances")
                    .tag("status", status.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        for (String outcome : new String[] {"succeeded", "failed", "cancelled"}) {
            finished(outcome);
        }
    }

    // after commit: a submission or an outcome that rolled back never happened
    @TransactionalEventListener(fallbackExecution = true)
    void submitted(RunEvent.Queued e) {
        submitted.increment();
    }

    @TransactionalEventListener(fallbackExecution = true)
    void started(RunEvent.AttemptStarted e) {
        queued.record(e.waited());
    }

    @TransactionalEventListener(fallbackExecution = true)
    void finished(RunEvent.Ended e) {
        String outcome = e.status().name().toLowerCase(Locale.ROOT);
        finished(outcome).increment();
        if (e.duration() != null) {
            Timer.builder("backprop.run.duration").description("Time from a run's first start to its end")
                    .tag("outcome", outcome).publishPercentileHistogram().register(registry)
                    .record(e.duration());
        }
    }

    private Counter finished(String outcome) {
        return Counter.builder("backprop.runs.finished").description("Runs that ended, by outcome")
                .tag("outcome", outcome).register(registry);
    }
}
