package io.backprop.core;

/**
 * Receives progress on the training thread. {@link Trainer#checkpoint()} may be called from inside
 * either method: the state is consistent at both points.
 */
public interface TrainingListener {

    default void onStep(StepEvent event) {
    }

    default void onEpoch(EpochEvent event) {
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
