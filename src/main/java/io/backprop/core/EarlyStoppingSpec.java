package io.backprop.core;

/**
 * Stop when {@code monitor} has not improved by more than {@code minDelta} for {@code patience} epochs.
 *
 * @param monitor one of loss, val_loss, accuracy, val_accuracy
 * @param mode    min or max; which way is better
 */
public record EarlyStoppingSpec(String monitor, String mode, int patience, double minDelta, boolean restoreBest) {

    public static final java.util.List<String> MONITORS = java.util.List.of("loss", "val_loss", "accuracy", "val_accuracy");

    public EarlyStoppingSpec {
        if (!MONITORS.contains(monitor)) {
            throw new IllegalArgumentException("monitor must be one of " + MONITORS);
        }
        if (!"min".equals(mode) && !"max".equals(mode)) {
            throw new IllegalArgumentException("mode must be min or max");
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0");
        }
        if (!(minDelta >= 0) || !Double.isFinite(minDelta)) {
            throw new IllegalArgumentException("minDelta must be >= 0");
        }
    }

    /** min for losses, max for accuracies. */
    public static String defaultMode(String monitor) {
        return monitor.contains("accuracy") ? "max" : "min";
    }

    boolean maximize() {
        return "max".equals(mode);
    }
}
