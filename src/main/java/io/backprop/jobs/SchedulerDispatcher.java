package io.backprop.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import io.backprop.runs.RunEvent;
import java.time.Clock;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Queues runs as db-scheduler executions when they are submitted, in the submitting transaction (the
 * scheduler's DataSource is transaction-aware), and passes cancel requests to this instance's workers.
 */
@Component
class SchedulerDispatcher {

    private final Scheduler scheduler;
    private final CancelFlags flags;
    private final Clock clock;

    SchedulerDispatcher(Scheduler scheduler, CancelFlags flags, Clock clock) {
        this.scheduler = scheduler;
        this.flags = flags;
        this.clock = clock;
    }

    @EventListener
    void dispatch(RunEvent.Queued queued) {
        scheduler.schedule(new TaskInstance<Void>(SchedulerConfig.TASK_NAME, queued.runId().toString()), clock.instant());
    }

    /**
     * A run parked at its study's budget is due again: its execution, parked far in the future, is
     * rescheduled to now (or scheduled anew if it was lost). While the pausing attempt is still finishing,
     * db-scheduler refuses and the study tries again at its next look.
     */
    @EventListener
    void resume(RunEvent.Resumed resumed) {
        TaskInstanceId id = TaskInstanceId.of(SchedulerConfig.TASK_NAME, resumed.runId().toString());
        if (!scheduler.reschedule(id, clock.instant())) {
            scheduler.schedule(new TaskInstance<Void>(SchedulerConfig.TASK_NAME, resumed.runId().toString()), clock.instant());
        }
    }

    @TransactionalEventListener(fallbackExecution = true)
    void cancel(RunEvent.CancelRequested request) {
        flags.signalCancel(request.runId());
    }
}
