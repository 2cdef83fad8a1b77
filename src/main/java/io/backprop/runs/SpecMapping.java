package io.backprop.runs;

import io.backprop.core.Activation;
import io.backprop.core.EarlyStoppingSpec;
import io.backprop.core.Init;
import io.backprop.core.LayerSpec;
import io.backprop.core.Loss;
import io.backprop.core.ModelSpec;
import io.backprop.core.OptimizerSpec;
import io.backprop.core.ScheduleSpec;
import io.backprop.core.TrainingConfig;
import io.backprop.web.FieldErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A resolved spec as the core's objects: the one place where the request's model meets the engine's. */
public final class SpecMapping {

    private SpecMapping() {
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

    static ModelSpec toModelSpec(RunSpec.Model m, int inputs, FieldErrors errors) {
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

    static OptimizerSpec toOptimizerSpec(RunSpec.Optimizer o) {
        OptimizerSpec d = OptimizerSpec.defaults(o.type(), o.learningRate());
        return new OptimizerSpec(o.type(), o.learningRate(), SpecDefaults.or(o.momentum(), 0.0), SpecDefaults.or(o.nesterov(), false),
                SpecDefaults.or(o.weightDecay(), d.weightDecay()), SpecDefaults.or(o.beta1(), d.beta1()), SpecDefaults.or(o.beta2(), d.beta2()),
                SpecDefaults.or(o.epsilon(), d.epsilon()), SpecDefaults.or(o.alpha(), d.alpha()));
    }

    static TrainingConfig toTrainingConfig(RunSpec.Training t) {
        ScheduleSpec schedule = t.schedule() == null ? null : new ScheduleSpec(t.schedule().type(),
                t.schedule().stepSize(), t.schedule().gamma(), t.schedule().minLearningRate(),
                SpecDefaults.or(t.schedule().cosineEpochs(), 0), t.schedule().warmupSteps());
        EarlyStoppingSpec es = t.earlyStopping() == null ? null : new EarlyStoppingSpec(t.earlyStopping().monitor(),
                t.earlyStopping().mode(), t.earlyStopping().patience(), t.earlyStopping().minDelta(),
                t.earlyStopping().restoreBest());
        return new TrainingConfig(t.epochs(), t.batchSize(), t.shuffle(), t.seed(), t.validationSplit(),
                t.standardize(), t.clipNorm(), schedule, es);
    }
}
