package io.backprop.runs;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** A run's lifecycle, with the one table of allowed transitions. */
public enum RunStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    /**
     * RUNNING goes back to QUEUED when its instance shuts down or dies, so another attempt resumes it
     * from its last checkpoint; a queued run fails when its data has gone before it starts.
     */
    private static final Map<RunStatus, Set<RunStatus>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(RUNNING, CANCELLED, FAILED),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED, QUEUED),
            SUCCEEDED, EnumSet.noneOf(RunStatus.class),
            FAILED, EnumSet.noneOf(RunStatus.class),
            CANCELLED, EnumSet.noneOf(RunStatus.class));

    public boolean canMoveTo(RunStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    public boolean terminal() {
        return ALLOWED.get(this).isEmpty();
    }

    public boolean active() {
        return this == QUEUED || this == RUNNING;
    }
}
