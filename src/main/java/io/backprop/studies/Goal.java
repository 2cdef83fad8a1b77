package io.backprop.studies;

import io.backprop.runs.MetricRows;
import io.backprop.web.FieldErrors;
import java.util.List;
import java.util.Set;

/**
 * What a study optimizes, resolved: early stopping's defaults (the validation loss when there is a
 * split, else the training loss; min for losses, max for accuracies).
 */
record Goal(String metric, String mode) {

    private static final Set<String> METRICS = Set.of("loss", "valLoss", "accuracy", "valAccuracy");

    static Goal of(StudyRequest.Objective requested, boolean validationSplit, FieldErrors errors) {
        String metric = requested == null || requested.metric() == null ? (validationSplit ? "valLoss" : "loss")
                : requested.metric();
        if (!METRICS.contains(metric)) {
            errors.add("$.objective.metric", "must be one of loss, valLoss, accuracy, valAccuracy");
            return null;
        }
        if (!validationSplit && metric.startsWith("val")) {
            errors.add("$.objective.metric", "the base spec has no validation split to measure " + metric + " on");
        }
        String mode = requested == null || requested.mode() == null ? (metric.endsWith("oss") ? "min" : "max")
                : requested.mode();
        if (!mode.equals("min") && !mode.equals("max")) {
            errors.add("$.objective.mode", "must be min or max");
        }
        return new Goal(metric, mode);
    }

    /** The best value of the metric over the epochs, or null before the first. */
    Double best(List<MetricRows.Epoch> epochs) {
        Double best = null;
        for (MetricRows.Epoch e : epochs) {
            Double v = switch (metric) {
                case "loss" -> e.loss();
                case "valLoss" -> e.valLoss();
                case "accuracy" -> e.accuracy();
                default -> e.valAccuracy();
            };
            if (v != null && (best == null || better(v, best))) {
                best = v;
            }
        }
        return best;
    }

    boolean better(double a, double b) {
        return mode.equals("min") ? a < b : a > b;
    }
}
