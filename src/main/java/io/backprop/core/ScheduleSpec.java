package io.backprop.core;

/**
 * A learning-rate schedule, stepped per epoch as {@code torch.optim.lr_scheduler} is in the usual
 * loop, with an optional linear warm-up counted in optimizer steps.
 *
 * @param type        constant, step, exponential or cosine
 * @param stepSize    epochs between decays (step)
 * @param gamma       decay factor (step, exponential)
 * @param minLearningRate cosine's floor ({@code eta_min})
 * @param cosineEpochs cosine's period ({@code T_max}); 0 means the run's epochs
 * @param warmupSteps steps of linear warm-up from lr/warmupSteps to lr; 0 for none
 */
public record ScheduleSpec(String type, int stepSize, double gamma, double minLearningRate, int cosineEpochs,
                           int warmupSteps) {

    public static final ScheduleSpec CONSTANT = new ScheduleSpec("constant", 1, 1.0, 0.0, 0, 0);

    public ScheduleSpec {
        if (!java.util.List.of("constant", "step", "exponential", "cosine").contains(type)) {
            throw new IllegalArgumentException("unknown schedule '" + type + "'");
        }
        if (stepSize < 1) {
            throw new IllegalArgumentException("stepSize must be at least 1");
        }
        if (!(gamma > 0) || !Double.isFinite(gamma)) {
            throw new IllegalArgumentException("gamma must be > 0");
        }
        if (!(minLearningRate >= 0) || !Double.isFinite(minLearningRate)) {
            throw new IllegalArgumentException("minLearningRate must be >= 0");
        }
        if (cosineEpochs < 0 || warmupSteps < 0) {
            throw new IllegalArgumentException("cosineEpochs and warmupSteps must be >= 0");
        }
    }

    /**
     * The learning rate for a step: a pure function of the position, so a resumed run needs no
     * schedule state beyond its epoch and step.
     *
     * @param epoch      0-based epoch of the step
     * @param globalStep 0-based optimizer step over the whole run
     */
    public double learningRate(double base, int epoch, long globalStep, int totalEpochs) {
        double lr = switch (type) {
            case "step" -> base * Math.pow(gamma, epoch / stepSize);
            case "exponential" -> base * Math.pow(gamma, epoch);
            case "cosine" -> {
                int period = cosineEpochs > 0 ? cosineEpochs : totalEpochs;
                double t = Math.min(epoch, period);
                yield minLearningRate + (base - minLearningRate) * (1 + Math.cos(Math.PI * t / period)) / 2;
            }
            default -> base;
        };
        if (warmupSteps > 0 && globalStep < warmupSteps) {
            lr *= (globalStep + 1) / (double) warmupSteps;
        }
        return lr;
    }
}
