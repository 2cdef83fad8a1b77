package io.backprop.jobs;

import io.backprop.config.BackpropProperties;
import io.backprop.config.Poller;
import io.backprop.runs.RunLedger;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The stop signals of the runs training in this process: a user's cancel (asked here, or found by
 * polling the database when asked on another instance) and this instance's shutdown.
 */
@Component
class CancelFlags implements SmartLifecycle {

    private final Map<UUID, Boolean> running = new ConcurrentHashMap<>();
    private final RunLedger ledger;
    private volatile boolean shuttingDown;
    private final Poller poller;

    CancelFlags(RunLedger ledger, BackpropProperties properties) {
        this.ledger = ledger;
        this.poller = new Poller("backprop-cancel-poller", properties.cancelPollInterval(), this::poll);
    }

    void register(UUID runId) {
        running.put(runId, Boolean.FALSE);
    }

    void unregister(UUID runId) {
        running.remove(runId);
    }

    void signalCancel(UUID runId) {
        running.computeIfPresent(runId, (id, old) -> Boolean.TRUE);
    }

    boolean cancelled(UUID runId) {
        return Boolean.TRUE.equals(running.get(runId));
    }

    /** What the trainer polls at every batch. */
    boolean stopRequested(UUID runId) {
        return shuttingDown || cancelled(runId);
    }

    boolean shuttingDown() {
        return shuttingDown;
    }

    /** From now on every local run stops at its next batch, checkpoints and is released. */
    void beginShutdown() {
        shuttingDown = true;
    }

    Set<UUID> localRuns() {
        return Set.copyOf(running.keySet());
    }

    private void poll() {
        Set<UUID> local = localRuns();
        if (!local.isEmpty()) {
            ledger.cancelRequested(local).forEach(this::signalCancel);
        }
    }

    @Override
    public void start() {
        poller.start();
    }

    @Override
    public void stop() {
        poller.stop();
    }

    @Override
    public boolean isRunning() {
        return poller.running();
    }
}
