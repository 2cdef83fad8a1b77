package io.backprop.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import io.backprop.config.BackpropProperties;
import java.lang.System.Logger.Level;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts the scheduler once the application is up, and on shutdown (SIGTERM) first tells every local
 * run to checkpoint and release itself, then waits for the workers to hand their runs back.
 */
@Component
class SchedulerLifecycle implements SmartLifecycle {

    private static final System.Logger LOG = System.getLogger(SchedulerLifecycle.class.getName());

    private final Scheduler scheduler;
    private final CancelFlags flags;
    private final BackpropProperties properties;
    private final InstanceName name;
    private final StaleExecutions stale;
    private volatile boolean running;

    SchedulerLifecycle(Scheduler scheduler, CancelFlags flags, BackpropProperties properties, InstanceName name,
                       StaleExecutions stale) {
        this.stale = stale;
        this.scheduler = scheduler;
        this.flags = flags;
        this.properties = properties;
        this.name = name;
    }

    @Override
    public void start() {
        stale.releaseThoseOfDeadLocalProcesses();
        scheduler.start();
        running = true;
        LOG.log(Level.INFO, "instance " + name.value() + " trains with " + properties.effectiveWorkers()
                + " workers, GEMM kernel " + io.backprop.core.Gemm.create().name());
    }

    @Override
    public void stop() {
        LOG.log(Level.INFO, "shutting down: releasing " + flags.localRuns().size() + " running runs after a checkpoint");
        flags.beginShutdown();
        scheduler.stop();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * A db-scheduler Scheduler cannot start again once stopped, and stopping releases every run, so
     * this lifecycle opts out of pausing (the test framework pauses cached contexts between classes).
     */
    @Override
    public boolean isPauseable() {
        return false;
    }

    /** Stops before the web server, after the cancel poller. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1;
    }
}
