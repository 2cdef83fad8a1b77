package io.backprop.config;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One named daemon thread that runs a task at a fixed delay until stopped. A run that throws is logged
 * and the next one goes on, so one bad tick never stops the polling for good.
 */
public final class Poller {

    private static final System.Logger LOG = System.getLogger(Poller.class.getName());

    private final String name;
    private final Duration every;
    private final Runnable task;
    private ScheduledExecutorService executor;

    public Poller(String name, Duration every, Runnable task) {
        this.name = name;
        this.every = every;
        this.task = task;
    }

    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        long ms = every.toMillis();
        executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, name + " failed; it runs again in " + every + ": " + e);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    public synchronized boolean running() {
        return executor != null && !executor.isShutdown();
    }
}
