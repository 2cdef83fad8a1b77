package io.backprop.runs;

import java.util.UUID;

/**
 * A training attempt tried to write after its run was taken over (another attempt started, or the run
 * was handed back or ended): the write was refused and rolled back, and the attempt must stop.
 */
public class AttemptSuperseded extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AttemptSuperseded(UUID runId, int attempt) {
        super("run " + runId + ": attempt " + attempt + " has been superseded; it stops without writing");
    }
}
