package io.backprop.core;

/**
 * Says when training has diverged: a loss that is not finite, or one more than {@link #FACTOR} times
 * the first step's (floored at 1e-3, so a tiny first loss does not make every later one look huge).
 */
final class DivergenceGuard {

    static final double FACTOR = 1e4;

    /** The first step's loss; NaN until there was one. Checkpointed, so a resumed run judges alike. */
    double referenceLoss = Double.NaN;

    /** @return why the run diverged at this step, or null when it did not */
    String check(double loss, int epoch, int step, double learningRate) {
        if (!Double.isFinite(loss)) {
            return "loss became " + loss + " at epoch " + epoch + ", step " + step + " (learning rate " + learningRate + ")";
        }
        if (Double.isNaN(referenceLoss)) {
            referenceLoss = loss;
        } else if (loss > FACTOR * Math.max(referenceLoss, 1e-3)) {
            return "loss exploded to " + loss + " at epoch " + epoch + ", step " + step + ", more than " + FACTOR
                    + " times the first step's " + referenceLoss + " (learning rate " + learningRate + ")";
        }
        return null;
    }
}
