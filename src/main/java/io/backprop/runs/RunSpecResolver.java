package io.backprop.runs;

import io.backprop.config.BackpropProperties;
import io.backprop.core.Activation;
import io.backprop.core.EarlyStoppingSpec;
import io.backprop.core.Init;
import io.backprop.core.LayerSpec;
import io.backprop.core.Loss;
import io.backprop.core.ModelSpec;
import io.backprop.core.OptimizerSpec;
import io.backprop.core.ScheduleSpec;
import io.backprop.core.TrainingConfig;
import io.backprop.core.TrainingMemory;
import io.backprop.datasets.DatasetDescription;
import io.backprop.datasets.DatasetService;
import io.backprop.datasets.Task;
import io.backprop.web.FieldErrors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;

/**
 * Validates a submitted {@link RunSpec} field by field (every problem with its JSON path) and fills in
 * every default, so the stored spec says exactly what trained.
 */
@Component
public class RunSpecResolver {

    static final List<String> ACTIVATIONS = Arrays.stream(Activation.values()).map(Activation::id).toList();
    static final List<String> LOSSES = Arrays.stream(Loss.values()).map(Loss::id).toList();
    static final List<String> INITS = Arrays.stream(Init.values()).map(Init::id).toList();
    static final List<String> OPTIMIZERS = List.of("sgd", "adam", "adamw", "adagrad", "rmsprop");
    static final List<String> SCHEDULES = List.of("constant", "step", "exponential", "cosine");
    private static final int MAX_LAYERS = 100;
    private static final int MAX_UNITS = 1_000_000;
    /** Leaves room under PostgreSQL's 1 GB per value for the row order and the header. */
    static final long MAX_CHECKPOINT_BYTES = 900L * 1024 * 1024;
    /** Seeds stay below 2^53 so JavaScript clients read them exactly. */
    private static final long MAX_DRAWN_SEED = 1L << 53;

    private final DatasetService datasets;
    private final InitialWeightsCatalog weights;
    private final BackpropProperties limits;

    RunSpecResolver(DatasetService datasets, InitialWeightsCatalog weights, BackpropProperties limits) {
        this.datasets = datasets;
        this.weights = weights;
        this.limits = limits;
    }

    /** A resolved spec with the core's view of it. */
    public record Resolution(RunSpec spec, DatasetDescription dataset, ModelSpec model, OptimizerSpec optimizer,
                             TrainingConfig config) {

        /** The heap this run needs at its peak while training. */
        public TrainingMemory memory() {
            return TrainingMemory.estimate(model, optimizer.type(), optimizer.momentum(), config, dataset.rows());
        }
    }

    /** @throws io.backprop.web.ApiException 422 listing every bad field */
    Resolution resolve(RunSpec request) {
        FieldErrors errors = new FieldErrors();
        if (request == null) {
            errors.add("$", "a run spec is required");
            errors.throwIfAny();
        }
        Map<String, String> tags = tags(request.tags(), errors);
        DatasetDescription dataset = datasets.describe(request.dataset(), "$.dataset", errors);
        RunSpec.Model model = model(request.model(), errors);
        RunSpec.Optimizer optimizer = optimizer(request.optimizer(), errors);
        RunSpec.Training training = training(request.training(), model, errors);
        if (dataset != null && model != null) {
            fitToDataset(model, dataset, errors);
            if (training != null && training.validationSplit() != null
                    && dataset.rows() - Math.max(training.validationSplit() > 0 ? 1 : 0,
                    (int) Math.floor(dataset.rows() * training.validationSplit())) < 1) {
                errors.add("$.training.validationSplit", "leaves no training rows in a dataset of " + dataset.rows());
            }
        }
        String name = request.name();
        if (name != null && (name.isBlank() || name.length() > 200)) {
            errors.add("$.name", "must be 1 to 200 characters");
        }
        errors.throwIfAny();

        ModelSpec modelSpec = toModelSpec(model, dataset.featureNames().size(), errors);
        if (modelSpec != null && modelSpec.parameterCount() > limits.maxParameters()) {
            errors.add("$.model.layers", "the model has " + modelSpec.parameterCount()
                    + " parameters, more than the limit of " + limits.maxParameters());
        }
        if (modelSpec != null && optimizer != null && training != null) {
            long bytes = checkpointBytes(modelSpec.parameterCount(), optimizer, training);
            if (bytes > MAX_CHECKPOINT_BYTES) {
                errors.add("$.model.layers", "a checkpoint of this model with " + optimizer.type()
                        + (training.earlyStopping() != null && training.earlyStopping().restoreBest() ? " and restoreBest" : "")
                        + " would take " + bytes + " bytes; checkpoints are limited to " + MAX_CHECKPOINT_BYTES
                        + " bytes (a PostgreSQL value holds at most 1 GB)");
            }
        }
        if (modelSpec != null) {
            initialWeights(request.initialWeights(), modelSpec, errors);
        }
        errors.throwIfAny();
        OptimizerSpec optimizerSpec = toOptimizerSpec(optimizer);
        TrainingConfig config = toTrainingConfig(training);
        if (name == null) {
            name = defaultName(dataset);
        }
        RunSpec resolved = new RunSpec(name, tags, dataset.resolved(), model, optimizer, training,
                request.initialWeights());
        Resolution resolution = new Resolution(resolved, dataset, modelSpec, optimizerSpec, config);
        TrainingMemory memory = resolution.memory();
        long budget = limits.effectiveMemoryBudget();
        if (memory.peakBytes() > budget) {
            errors.add("$", "training this run needs about " + mb(memory.peakBytes()) + " of heap ("
                    + mb(memory.dataBytes()) + " of data, " + mb(memory.trainingBytes())
                    + " of parameters, optimizer state, checkpoints and batch buffers), more than the memory budget of "
                    + mb(budget) + " (backprop.memory-budget)");
            errors.throwIfAny();
        }
        return resolution;
    }

    /** Rebuilds the core's objects from a stored, already resolved spec. */
    public Resolution reload(RunSpec spec, DatasetDescription dataset) {
        FieldErrors errors = new FieldErrors();
        ModelSpec model = toModelSpec(spec.model(), dataset.featureNames().size(), errors);
        errors.throwIfAny();
        return new Resolution(spec, dataset, model, toOptimizerSpec(spec.optimizer()), toTrainingConfig(spec.training()));
    }

    private static String defaultName(DatasetDescription d) {
        if (d.resolved().builtin() != null) {
            return d.resolved().builtin() + "-mlp";
        }
        if (d.resolved().generator() != null) {
            return d.resolved().generator().type() + "-mlp";
        }
        return "dataset-" + d.uploadedId().toString().substring(0, 8) + "-mlp";
    }

    private static Map<String, String> tags(Map<String, String> tags, FieldErrors errors) {
        if (tags == null) {
            return Map.of();
        }
        if (tags.size() > 50) {
            errors.add("$.tags", "at most 50 tags");
        }
        tags.forEach((k, v) -> {
            if (k.isEmpty() || k.length() > 100 || k.contains(":")) {
                errors.add("$.tags." + k, "tag keys must be 1 to 100 characters without ':'");
            }
            if (v == null || v.length() > 200) {
                errors.add("$.tags." + k, "tag values must be strings of at most 200 characters");
            }
        });
        return new LinkedHashMap<>(tags);
    }

    private static RunSpec.Model model(RunSpec.Model m, FieldErrors errors) {
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

    private static RunSpec.Optimizer optimizer(RunSpec.Optimizer o, FieldErrors errors) {
        if (o == null) {
            errors.add("$.optimizer", "is required");
            return null;
        }
        String p = "$.optimizer";
        int before = errors.size();
        if (o.type() == null) {
            errors.add(p + ".type", "is required; one of " + OPTIMIZERS);
        } else if (!OPTIMIZERS.contains(o.type())) {
            errors.add(p + ".type", "unknown optimizer '" + o.type() + "'; one of " + OPTIMIZERS);
        }
        for (var f : List.of(Map.entry("learningRate", opt(o.learningRate())), Map.entry("momentum", opt(o.momentum())),
                Map.entry("weightDecay", opt(o.weightDecay())), Map.entry("beta1", opt(o.beta1())),
                Map.entry("beta2", opt(o.beta2())), Map.entry("epsilon", opt(o.epsilon())),
                Map.entry("alpha", opt(o.alpha())))) {
            errors.finite(p + "." + f.getKey(), f.getValue().orElse(null));
        }
        if (o.learningRate() == null) {
            errors.add(p + ".learningRate", "is required");
        } else if (!(o.learningRate() > 0)) {
            errors.add(p + ".learningRate", "must be > 0");
        }
        if (o.momentum() != null && !(o.momentum() >= 0)) {
            errors.add(p + ".momentum", "must be >= 0");
        }
        if (o.momentum() != null && o.type() != null && !List.of("sgd", "rmsprop").contains(o.type())) {
            errors.add(p + ".momentum", "applies to sgd and rmsprop only");
        }
        if (Boolean.TRUE.equals(o.nesterov()) && (!"sgd".equals(o.type()) || o.momentum() == null || !(o.momentum() > 0))) {
            errors.add(p + ".nesterov", "needs sgd with momentum > 0");
        }
        if (o.weightDecay() != null && !(o.weightDecay() >= 0)) {
            errors.add(p + ".weightDecay", "must be >= 0");
        }
        if (o.beta1() != null && !(o.beta1() >= 0 && o.beta1() < 1)) {
            errors.add(p + ".beta1", "must be in [0, 1)");
        }
        if (o.beta2() != null && !(o.beta2() >= 0 && o.beta2() < 1)) {
            errors.add(p + ".beta2", "must be in [0, 1)");
        }
        if ((o.beta1() != null || o.beta2() != null) && o.type() != null && !o.type().startsWith("adam")) {
            errors.add(p + ".beta1", "betas apply to adam and adamw only");
        }
        if (o.epsilon() != null && !(o.epsilon() > 0)) {
            errors.add(p + ".epsilon", "must be > 0");
        }
        if (o.alpha() != null && !(o.alpha() >= 0 && o.alpha() <= 1)) {
            errors.add(p + ".alpha", "must be in [0, 1]");
        }
        if (o.alpha() != null && o.type() != null && !"rmsprop".equals(o.type())) {
            errors.add(p + ".alpha", "applies to rmsprop only");
        }
        if (errors.size() > before) {
            return null;
        }
        OptimizerSpec d = OptimizerSpec.defaults(o.type(), o.learningRate());
        boolean usesMomentum = List.of("sgd", "rmsprop").contains(o.type());
        boolean adam = o.type().startsWith("adam");
        return new RunSpec.Optimizer(o.type(), o.learningRate(),
                usesMomentum ? or(o.momentum(), 0.0) : null,
                "sgd".equals(o.type()) ? Boolean.TRUE.equals(o.nesterov()) : null,
                or(o.weightDecay(), d.weightDecay()),
                adam ? or(o.beta1(), d.beta1()) : null,
                adam ? or(o.beta2(), d.beta2()) : null,
                "sgd".equals(o.type()) ? null : or(o.epsilon(), d.epsilon()),
                "rmsprop".equals(o.type()) ? or(o.alpha(), d.alpha()) : null);
    }

    private RunSpec.Training training(RunSpec.Training t, RunSpec.Model model, FieldErrors errors) {
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
        double split = or(in.validationSplit(), 0.0);
        RunSpec.Schedule schedule = schedule(in.schedule(), errors);
        RunSpec.EarlyStopping es = earlyStopping(in.earlyStopping(), split, model, errors);
        if (errors.size() > before) {
            return null;
        }
        long seed = in.seed() != null ? in.seed() : ThreadLocalRandom.current().nextLong(MAX_DRAWN_SEED);
        return new RunSpec.Training(or(in.epochs(), 10), or(in.batchSize(), 32), or(in.shuffle(), true), seed, split,
                or(in.standardize(), true), in.clipNorm(), schedule, es);
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
        return new RunSpec.Schedule(s.type(), or(s.stepSize(), 10), or(s.gamma(), "exponential".equals(s.type()) ? 0.95 : 0.1),
                or(s.minLearningRate(), 0.0), s.cosineEpochs(), or(s.warmupSteps(), 0));
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
        return new RunSpec.EarlyStopping(monitor, mode, or(e.patience(), 5), or(e.minDelta(), 0.0),
                or(e.restoreBest(), true));
    }

    /** The output layer must fit the dataset: classes for cross_entropy, label columns otherwise. */
    private static void fitToDataset(RunSpec.Model model, DatasetDescription d, FieldErrors errors) {
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

    private void initialWeights(RunSpec.InitialWeights w, ModelSpec model, FieldErrors errors) {
        if (w == null) {
            return;
        }
        String p = "$.initialWeights";
        if ((w.runId() == null) == (w.weightsId() == null)) {
            errors.add(p, "give exactly one of runId, weightsId");
            return;
        }
        InitialWeightsCatalog catalog = weights;
        Optional<Map<String, long[]>> shapes = w.runId() != null ? catalog.runWeightShapes(w.runId())
                : catalog.uploadedWeightShapes(w.weightsId());
        if (shapes.isEmpty()) {
            errors.add(w.runId() != null ? p + ".runId" : p + ".weightsId", w.runId() != null
                    ? "no succeeded run with weights has id " + w.runId() : "no uploaded weights with id " + w.weightsId());
            return;
        }
        Map<String, long[]> expected = expectedShapes(model);
        for (var e : expected.entrySet()) {
            long[] actual = shapes.get().get(e.getKey());
            if (actual == null || !Arrays.equals(actual, e.getValue())) {
                errors.add(p, "tensor " + e.getKey() + " must have shape " + Arrays.toString(e.getValue())
                        + (actual == null ? " but is missing" : " but has " + Arrays.toString(actual)));
            }
        }
        if (shapes.get().size() != expected.size()) {
            errors.add(p, "expected exactly the tensors " + expected.keySet());
        }
    }

    /**
     * Float32 tensors a checkpoint holds per parameter: the weights, the optimizer's state (momentum;
     * Adam's two moments; Adagrad's sums; RMSprop's squares and momentum) and the best weights kept for
     * restoring.
     */
    static long checkpointBytes(long parameters, RunSpec.Optimizer o, RunSpec.Training t) {
        int tensors = 1 + switch (o.type()) {
            case "adam", "adamw" -> 2;
            case "sgd" -> o.momentum() != null && o.momentum() > 0 ? 1 : 0;
            case "rmsprop" -> 1 + (o.momentum() != null && o.momentum() > 0 ? 1 : 0);
            default -> 1;
        };
        if (t.earlyStopping() != null && Boolean.TRUE.equals(t.earlyStopping().restoreBest())) {
            tensors++;
        }
        return 4L * parameters * tensors;
    }

    /** {@code layers.i.weight [out, in]} and {@code layers.i.bias [out]}. */
    public static Map<String, long[]> expectedShapes(ModelSpec model) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (int i = 0; i < model.layers().size(); i++) {
            long out = model.layers().get(i).units();
            shapes.put("layers." + i + ".weight", new long[] {out, model.fanIn(i)});
            shapes.put("layers." + i + ".bias", new long[] {out});
        }
        return shapes;
    }

    /** The core's model for a resolved spec. */
    public static ModelSpec modelSpec(RunSpec.Model m, int inputs) {
        FieldErrors errors = new FieldErrors();
        ModelSpec model = toModelSpec(m, inputs, errors);
        errors.throwIfAny();
        return model;
    }

    private static ModelSpec toModelSpec(RunSpec.Model m, int inputs, FieldErrors errors) {
        List<LayerSpec> layers = new ArrayList<>();
        for (RunSpec.Layer l : m.layers()) {
            Activation a = Activation.fromId(l.activation());
            double param = l.slope() != null ? l.slope() : l.alpha() != null ? l.alpha() : a.defaultParameter();
            layers.add(new LayerSpec(l.units(), a, param, l.dropout() != null ? l.dropout() : 0.0));
        }
        try {
            return new ModelSpec(inputs, layers, Loss.fromId(m.loss()), m.init() != null ? Init.fromId(m.init()) : null);
        } catch (IllegalArgumentException e) {
            errors.add("$.model", e.getMessage());
            return null;
        }
    }

    private static OptimizerSpec toOptimizerSpec(RunSpec.Optimizer o) {
        OptimizerSpec d = OptimizerSpec.defaults(o.type(), o.learningRate());
        return new OptimizerSpec(o.type(), o.learningRate(), or(o.momentum(), 0.0), or(o.nesterov(), false),
                or(o.weightDecay(), d.weightDecay()), or(o.beta1(), d.beta1()), or(o.beta2(), d.beta2()),
                or(o.epsilon(), d.epsilon()), or(o.alpha(), d.alpha()));
    }

    private static TrainingConfig toTrainingConfig(RunSpec.Training t) {
        ScheduleSpec schedule = t.schedule() == null ? null : new ScheduleSpec(t.schedule().type(),
                t.schedule().stepSize(), t.schedule().gamma(), t.schedule().minLearningRate(),
                or(t.schedule().cosineEpochs(), 0), t.schedule().warmupSteps());
        EarlyStoppingSpec es = t.earlyStopping() == null ? null : new EarlyStoppingSpec(t.earlyStopping().monitor(),
                t.earlyStopping().mode(), t.earlyStopping().patience(), t.earlyStopping().minDelta(),
                t.earlyStopping().restoreBest());
        return new TrainingConfig(t.epochs(), t.batchSize(), t.shuffle(), t.seed(), t.validationSplit(),
                t.standardize(), t.clipNorm(), schedule, es);
    }

    private static String mb(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB (%d bytes)", bytes / 1048576.0, bytes);
    }

    private static Optional<Double> opt(Double d) {
        return Optional.ofNullable(d);
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
