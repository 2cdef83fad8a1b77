package io.backprop.observability;

import io.backprop.studies.StudyCounts;
import io.backprop.studies.StudyEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/** Studies by status (counted in the database, like runs) and the trials their rungs pruned. */
@Component
class StudyMetrics {

    private final Counter pruned;

    StudyMetrics(MeterRegistry registry, StudyCounts studies) {
        for (String status : StudyCounts.statuses()) {
            Gauge.builder("backprop.studies", studies, s -> s.count(status))
                    .description("Studies by status now, across all instances").tag("status", status).register(registry);
        }
        this.pruned = Counter.builder("backprop.trials.pruned").description("Study trials pruned at a rung")
                .register(registry);
    }

    // after commit: a driver step that rolled back pruned nothing
    @TransactionalEventListener
    void pruned(StudyEvent.TrialPruned e) {
        pruned.increment();
    }
}
