package io.backprop.core;

/** What trains in this process now, for those who share its cores with training (the read gate). */
public final class LocalTraining {

    private LocalTraining() {
    }

    /** Whether a run is training in this process now. */
    public static boolean active() {
        return CorePool.trainers() > 0;
    }
}
