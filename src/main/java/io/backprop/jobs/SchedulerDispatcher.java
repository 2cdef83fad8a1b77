package io.backprop.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import io.backprop.runs.RunDispatcher;
import java.time.Clock;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** Queues runs as db-scheduler executions, in the submitting transaction (the scheduler's DataSource is transaction-aware). */
@Component
class SchedulerDispatcher implements RunDispatcher {

    // The scheduler is built from the workers, which reach back to runs: resolve it lazily.
    private final ObjectProvider<Scheduler> scheduler;
    private final CancelFlags flags;
    private final Clock clock;

    SchedulerDispatcher(ObjectProvider<Scheduler> scheduler, CancelFlags flags, Clock clock) {
        this.scheduler = scheduler;
        this.flags = flags;
        this.clock = clock;
    }

    @Override
    public void dispatch(UUID runId) {
        scheduler.getObject().schedule(new TaskInstance<Void>(SchedulerConfig.TASK_NAME, runId.toString()), clock.instant());
    }

    @Override
    public void signalCancel(UUID runId) {
        flags.signalCancel(runId);
    }
}
