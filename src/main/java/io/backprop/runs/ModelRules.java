package io.backprop.runs;

import io.backprop.core.Activation;
import io.backprop.core.Init;
import io.backprop.core.Loss;
import io.backprop.datasets.DatasetDescription;
import io.backprop.datasets.Task;
import io.backprop.web.FieldErrors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The rules of a spec's {@code model} section, and how its output layer must fit the dataset. */
final class ModelRules {

    static final List<String> ACTIVATIONS = Arrays.stream(Activation.values()).map(Activation::id).toList();
    static final List<String> LOSSES = Arrays.stream(Loss.values()).map(Loss::id).toList();
    static final List<String> INITS = Arrays.stream(Init.values()).map(Init::id).toList();
    private static final int MAX_LAYERS = 100;
    private static final int MAX_UNITS = 1_000_000;

    private ModelRules() {
    }

    static RunSpec.Model model(RunSpec.Model m, FieldErrors errors) {
        if (m == null) {
            errors.add("$.model", "is required");
            return null;
        }
        int before = errors.size();
        List<RunSpec.Layer> layers = new ArrayList<>();
        if (m.layers() == null || m.layers().isEmpty()) {
            errors.add("$.model.layers", "at least one layer is required");
        } else if (m.layers().size() > MAX_LAYERS) {
            errors.add("$.model.layers", "at most " + MAX_LAYERS + " layers");
        } else {
            for (int i = 0; i < m.layers().size(); i++) {
                layers.add(layer(m.layers().get(i), i, i == m.layers().size() - 1, errors));
            }
        }
        if (m.loss() == null) {
            errors.add("$.model.loss", "is required; one of " + LOSSES);
        } else if (!LOSSES.contains(m.loss())) {
            errors.add("$.model.loss", "unknown loss '" + m.loss() + "'; one of " + LOSSES);
        }
        if (m.init() != null && !INITS.contains(m.init())) {
            errors.add("$.model.init", "unknown init '" + m.init() + "'; one of " + INITS);
        }
        if (errors.size() > before) {
            return null;
        }
        String out = layers.get(layers.size() - 1).activation();
        String path = "$.model.layers[" + (layers.size() - 1) + "].activation";
        switch (m.loss()) {
            case "cross_entropy" -> {
                if (!"softmax".equals(out)) {
                    errors.add(path, "cross_entropy needs a softmax output layer");
                }
            }
            case "binary_cross_entropy" -> {
                if (!"sigmoid".equals(out)) {
                    errors.add(path, "binary_cross_entropy needs a sigmoid output layer");
                }
            }
            default -> {
                if ("softmax".equals(out)) {
                    errors.add(path, "a softmax output layer needs the cross_entropy loss");
                }
            }
        }
        // the hidden layers decide: he_uniform for the ReLU family, xavier_uniform otherwise
        String init = m.init() != null ? m.init()
                : Init.defaultFor(Activation.fromId(layers.get(0).activation())).id();
        return new RunSpec.Model(layers, m.loss(), init);
    }

    private static RunSpec.Layer layer(RunSpec.Layer l, int i, boolean last, FieldErrors errors) {
        String p = "$.model.layers[" + i + "]";
        if (l == null) {
            errors.add(p, "must be an object");
            return null;
        }
        if (l.units() == null) {
            errors.add(p + ".units", "is required");
        } else if (l.units() < 1 || l.units() > MAX_UNITS) {
            errors.add(p + ".units", "must be between 1 and " + MAX_UNITS);
        }
        if (l.activation() == null) {
            errors.add(p + ".activation", "is required; one of " + ACTIVATIONS);
        } else if (!ACTIVATIONS.contains(l.activation())) {
            errors.add(p + ".activation", "unknown activation '" + l.activation() + "'; one of " + ACTIVATIONS);
        } else if ("softmax".equals(l.activation()) && !last) {
            errors.add(p + ".activation", "softmax is allowed on the output layer only");
        }
        errors.finite(p + ".slope", l.slope());
        errors.finite(p + ".alpha", l.alpha());
        if (l.slope() != null && !"leaky_relu".equals(l.activation())) {
            errors.add(p + ".slope", "applies to leaky_relu only");
        } else if (l.slope() != null && !(l.slope() > 0)) {
            errors.add(p + ".slope", "must be > 0");
        }
        if (l.alpha() != null && !"elu".equals(l.activation())) {
            errors.add(p + ".alpha", "applies to elu only");
        } else if (l.alpha() != null && !(l.alpha() > 0)) {
            errors.add(p + ".alpha", "must be > 0");
        }
        if (l.dropout() != null) {
            if (!(l.dropout() >= 0 && l.dropout() < 1)) {
                errors.add(p + ".dropout", "must be in [0, 1)");
            } else if (last && l.dropout() > 0) {
                errors.add(p + ".dropout", "the output layer takes no dropout");
            }
        }
        String a = l.activation();
        return new RunSpec.Layer(l.units(), a,
                "leaky_relu".equals(a) ? (l.slope() != null ? l.slope() : 0.01) : null,
                "elu".equals(a) ? (l.alpha() != null ? l.alpha() : 1.0) : null,
                l.dropout() != null ? l.dropout() : 0.0);
    }

    /** The output layer must fit the dataset: classes for cross_entropy, label columns otherwise. */
    static void fitToDataset(RunSpec.Model model, DatasetDescription d, FieldErrors errors) {
        int last = model.layers().size() - 1;
        int units = model.layers().get(last).units();
        String p = "$.model.layers[" + last + "].units";
        switch (model.loss()) {
            case "cross_entropy" -> {
                if (d.task() != Task.CLASSIFICATION || d.multiLabel()) {
                    errors.add("$.model.loss", "cross_entropy needs a single-label classification dataset");
                } else if (units != d.classes().size()) {
                    errors.add(p, "must be " + d.classes().size() + ", the dataset's number of classes");
                }
            }
            case "binary_cross_entropy" -> {
                if (d.task() != Task.CLASSIFICATION) {
                    errors.add("$.model.loss", "binary_cross_entropy needs a classification dataset");
                } else if (d.multiLabel() && units != d.labelNames().size()) {
                    errors.add(p, "must be " + d.labelNames().size() + ", one sigmoid per label column");
                } else if (!d.multiLabel() && (d.classes().size() != 2 || units != 1)) {
                    errors.add(p, d.classes().size() == 2 ? "must be 1 for a binary label"
                            : "binary_cross_entropy on one label column needs exactly 2 classes");
                }
            }
            default -> {
                if (d.task() != Task.REGRESSION) {
                    errors.add("$.model.loss", "mse needs a regression dataset; use cross_entropy for classes");
                } else if (units != d.labelNames().size()) {
                    errors.add(p, "must be " + d.labelNames().size() + ", the dataset's number of label columns");
                }
            }
        }
    }
}
