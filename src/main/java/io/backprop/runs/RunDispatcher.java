package io.backprop.runs;

import java.util.UUID;

/** Hands runs to the workers; implemented by the jobs feature. */
public interface RunDispatcher {

    /** Queues the run for a worker, inside the caller's transaction. */
    void dispatch(UUID runId);

    /** Tells a worker of this instance training the run to stop at its next batch, if there is one. */
    void signalCancel(UUID runId);
}
