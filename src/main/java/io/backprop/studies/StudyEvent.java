package io.backprop.studies;

import java.util.UUID;

/** What the study driver tells the rest of the service, published in the transaction that decides it. */
public sealed interface StudyEvent {

    /** A trial ended at a rung without promotion. */
    record TrialPruned(UUID studyId, UUID runId) implements StudyEvent {
    }
}
