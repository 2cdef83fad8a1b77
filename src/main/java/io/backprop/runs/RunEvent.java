package io.backprop.runs;

import java.time.Duration;
import java.util.UUID;

/** A run's lifecycle as application events, published in the transaction that makes the change. */
public sealed interface RunEvent {

    UUID runId();

    /** Accepted and queued; a listener hands it to the workers inside the submitting transaction. */
    record Queued(UUID runId) implements RunEvent {
    }

    /**
     * A run that waited at its study's epoch budget may go on (promoted), or must end (pruned): either
     * way its parked execution is due now.
     */
    record Resumed(UUID runId) implements RunEvent {
    }

    /** A user asked a running run to stop; the worker training it stops at its next batch. */
    record CancelRequested(UUID runId) implements RunEvent {
    }

    /** An attempt started, after {@code waited} in the queue. */
    record AttemptStarted(UUID runId, Duration waited) implements RunEvent {
    }

    /**
     * The run reached a final status.
     *
     * @param duration from its first start to its end; null when it never started
     */
    record Ended(UUID runId, RunStatus status, Duration duration) implements RunEvent {

        static Ended of(Run run) {
            return new Ended(run.id(), run.status(), run.startedAt() == null || run.finishedAt() == null ? null
                    : Duration.between(run.startedAt(), run.finishedAt()));
        }
    }
}
