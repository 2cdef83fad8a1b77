package io.backprop.runs;

import io.backprop.config.BackpropProperties;
import io.backprop.core.EarlyStoppingSpec;
import io.backprop.web.FieldErrors;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The rules of a spec's {@code training} section: epochs, batches, split, schedule, early stopping. */
final class TrainingRules {

    static final List<String> SCHEDULES = List.of("constant", "step", "exponential", "cosine");
    /** Seeds stay below 2^53 so JavaScript clients read them exactly. */
    private static final long MAX_DRAWN_SEED = 1L << 53;

    private TrainingRules() {
    }

    static RunSpec.Training training(RunSpec.Training t, RunSpec.Model model, BackpropProperties limits,
                                     FieldErrors errors) {
        RunSpec.Training in = t != null ? t : new RunSpec.Training(null, null, null, null, null, null, null, null, null);
        String p = "$.training";
        int before = errors.size();
        if (in.epochs() != null && (in.epochs() < 1 || in.epochs() > limits.maxEpochs())) {
            errors.add(p + ".epochs", "must be between 1 and " + limits.maxEpochs());
        }
        if (in.batchSize() != null && (in.batchSize() < 1 || in.batchSize() > limits.maxBatchSize())) {
            errors.add(p + ".batchSize", "must be between 1 and " + limits.maxBatchSize());
        }
        errors.finite(p + ".validationSplit", in.validationSplit());
        errors.finite(p + ".clipNorm", in.clipNorm());
        if (in.validationSplit() != null && !(in.validationSplit() >= 0 && in.validationSplit() < 1)) {
            errors.add(p + ".validationSplit", "must be in [0, 1)");
        }
        if (in.clipNorm() != null && !(in.clipNorm() > 0)) {
            errors.add(p + ".clipNorm", "must be > 0");
        }
        double split = SpecDefaults.or(in.validationSplit(), 0.0);
        RunSpec.Schedule schedule = schedule(in.schedule(), errors);
        RunSpec.EarlyStopping es = earlyStopping(in.earlyStopping(), split, model, errors);
        if (errors.size() > before) {
            return null;
        }
        long seed = in.seed() != null ? in.seed() : ThreadLocalRandom.current().nextLong(MAX_DRAWN_SEED);
        return new RunSpec.Training(SpecDefaults.or(in.epochs(), 10), SpecDefaults.or(in.batchSize(), 32), SpecDefaults.or(in.shuffle(), true), seed, split,
                SpecDefaults.or(in.standardize(), true), in.clipNorm(), schedule, es);
    }

    private static RunSpec.Schedule schedule(RunSpec.Schedule s, FieldErrors errors) {
        if (s == null) {
            return null;
        }
        String p = "$.training.schedule";
        if (s.type() == null || !SCHEDULES.contains(s.type())) {
            errors.add(p + ".type", "must be one of " + SCHEDULES);
        }
        errors.finite(p + ".gamma", s.gamma());
        errors.finite(p + ".minLearningRate", s.minLearningRate());
        if (s.stepSize() != null && s.stepSize() < 1) {
            errors.add(p + ".stepSize", "must be at least 1");
        }
        if (s.gamma() != null && !(s.gamma() > 0)) {
            errors.add(p + ".gamma", "must be > 0");
        }
        if (s.minLearningRate() != null && !(s.minLearningRate() >= 0)) {
            errors.add(p + ".minLearningRate", "must be >= 0");
        }
        if (s.cosineEpochs() != null && s.cosineEpochs() < 1) {
            errors.add(p + ".cosineEpochs", "must be at least 1");
        }
        if (s.warmupSteps() != null && s.warmupSteps() < 0) {
            errors.add(p + ".warmupSteps", "must be >= 0");
        }
        return new RunSpec.Schedule(s.type(), SpecDefaults.or(s.stepSize(), 10), SpecDefaults.or(s.gamma(), "exponential".equals(s.type()) ? 0.95 : 0.1),
                SpecDefaults.or(s.minLearningRate(), 0.0), s.cosineEpochs(), SpecDefaults.or(s.warmupSteps(), 0));
    }

    private static RunSpec.EarlyStopping earlyStopping(RunSpec.EarlyStopping e, double split, RunSpec.Model model,
                                                       FieldErrors errors) {
        if (e == null) {
            return null;
        }
        String p = "$.training.earlyStopping";
        String monitor = e.monitor() != null ? e.monitor() : (split > 0 ? "val_loss" : "loss");
        if (!EarlyStoppingSpec.MONITORS.contains(monitor)) {
            errors.add(p + ".monitor", "must be one of " + EarlyStoppingSpec.MONITORS);
        } else if (monitor.startsWith("val_") && split == 0) {
            errors.add(p + ".monitor", monitor + " needs training.validationSplit > 0");
        } else if (monitor.contains("accuracy") && model != null && "mse".equals(model.loss())) {
            errors.add(p + ".monitor", "accuracy is not defined for the mse loss");
        }
        if (e.mode() != null && !List.of("min", "max").contains(e.mode())) {
            errors.add(p + ".mode", "must be min or max");
        }
        if (e.patience() != null && e.patience() < 0) {
            errors.add(p + ".patience", "must be >= 0");
        }
        errors.finite(p + ".minDelta", e.minDelta());
        if (e.minDelta() != null && !(e.minDelta() >= 0)) {
            errors.add(p + ".minDelta", "must be >= 0");
        }
        String mode = e.mode() != null ? e.mode()
                : (EarlyStoppingSpec.MONITORS.contains(monitor) ? EarlyStoppingSpec.defaultMode(monitor) : "min");
        return new RunSpec.EarlyStopping(monitor, mode, SpecDefaults.or(e.patience(), 5), SpecDefaults.or(e.minDelta(), 0.0),
                SpecDefaults.or(e.restoreBest(), true));
    }
}
