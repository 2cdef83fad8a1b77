package io.backprop.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.backprop.config.BackpropProperties;
import io.backprop.runs.RunLedger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * Durable dispatch through db-scheduler (core library, wired here): one execution per run in
 * {@code scheduled_tasks}, picked by exactly one instance, kept alive by heartbeats; an execution
 * whose instance stops heartbeating is revived on a live one, which resumes from the checkpoint.
 */
@Configuration(proxyBeanMethods = false)
class SchedulerConfig {

    static final String TASK_NAME = "train-run";
    private static final Duration PARKED = Duration.ofDays(3650);
    private static final System.Logger LOG = System.getLogger(SchedulerConfig.class.getName());

    @Bean
    InstanceName instanceName() {
        return InstanceName.ofThisProcess();
    }

    @Bean
    CustomTask<Void> trainRunTask(TrainingWorker worker, RunLedger ledger, BackpropProperties properties, Clock clock) {
        return Tasks.custom(TASK_NAME, Void.class)
                .onDeadExecution((complete, ops) -> {
                    UUID runId = UUID.fromString(complete.getExecution().getId());
                    LOG.log(Level.WARNING, "run " + runId + ": instance " + complete.getExecution().pickedBy
                            + " stopped heartbeating; resuming the run from its last checkpoint");
                    ledger.lost(runId, "instance " + complete.getExecution().pickedBy + " stopped heartbeating");
                    ops.reschedule(complete, clock.instant());
                })
                .onFailure((complete, ops) -> {
                    UUID runId = UUID.fromString(complete.getExecution().getId());
                    String cause = complete.getCause().map(Throwable::toString).orElse("unknown error");
                    LOG.log(Level.ERROR, "run " + runId + " failed outside training: " + cause);
                    ledger.failOutsideTraining(runId, "internal error: " + cause);
                    ops.remove();
                })
                .execute((instance, context) -> {
                    TrainingWorker.Outcome outcome = worker.train(UUID.fromString(instance.getId()));
                    return switch (outcome) {
                        case RELEASED -> (CompletionHandler<Void>) (complete, ops) -> ops.reschedule(complete, clock.instant());
                        // waits for memory to free up without holding a worker thread
                        case DEFERRED -> (complete, ops) -> ops.reschedule(complete,
                                clock.instant().plus(properties.scheduler().pollingInterval()));
                        // the execution belongs to the attempt that took over; leave it alone
                        case SUPERSEDED -> (complete, ops) -> { };
                        // parked until its study resumes it (RunEvent.Resumed reschedules it to now)
                        case PAUSED -> (complete, ops) -> ops.reschedule(complete, clock.instant().plus(PARKED));
                        case DONE -> (complete, ops) -> ops.remove();
                    };
                });
    }

    @Bean(destroyMethod = "")
    Scheduler scheduler(DataSource dataSource, CustomTask<Void> trainRunTask, BackpropProperties properties,
                        InstanceName name) {
        BackpropProperties.Scheduler s = properties.scheduler();
        return Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), trainRunTask)
                .schedulerName(new SchedulerName.Fixed(name.value()))
                .threads(properties.effectiveWorkers())
                .pollingInterval(s.pollingInterval())
                .heartbeatInterval(s.heartbeatInterval())
                .missedHeartbeatsLimit(s.missedHeartbeatsLimit())
                .shutdownMaxWait(s.shutdownMaxWait())
                .enableImmediateExecution()
                .commitWhenAutocommitDisabled(false)
                .build();
    }
}
