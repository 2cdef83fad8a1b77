package io.backprop.runs;

import io.backprop.config.BackpropProperties;
import io.backprop.core.ModelSpec;
import io.backprop.core.TrainingMemory;
import io.backprop.web.FieldErrors;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** What a run may cost: parameters, checkpoint size, memory, and initial weights that fit. */
@Component
final class ResourceRules {

    /** Leaves room under PostgreSQL's 1 GB per value for the row order and the header. */
    static final long MAX_CHECKPOINT_BYTES = 900L * 1024 * 1024;

    private final InitialWeightsCatalog weights;
    private final BackpropProperties limits;

    ResourceRules(InitialWeightsCatalog weights, BackpropProperties limits) {
        this.weights = weights;
        this.limits = limits;
    }

    /** Parameters, checkpoint size and initial weights' shapes, before anything is stored. */
    void check(UUID tenantId, ModelSpec modelSpec, RunSpec.Optimizer optimizer, RunSpec.Training training,
               RunSpec.InitialWeights initial, FieldErrors errors) {
        if (modelSpec.parameterCount() > limits.maxParameters()) {
            errors.add("$.model.layers", "the model has " + modelSpec.parameterCount()
                    + " parameters, more than the limit of " + limits.maxParameters());
        }
        long bytes = TrainingMemory.checkpointBytes(modelSpec.parameterCount(), SpecMapping.toOptimizerSpec(optimizer),
                SpecMapping.toTrainingConfig(training).earlyStopping());
        if (bytes > MAX_CHECKPOINT_BYTES) {
            errors.add("$.model.layers", "a checkpoint of this model with " + optimizer.type()
                    + (training.earlyStopping() != null && training.earlyStopping().restoreBest() ? " and restoreBest" : "")
                    + " would take " + bytes + " bytes; checkpoints are limited to " + MAX_CHECKPOINT_BYTES
                    + " bytes (a PostgreSQL value holds at most 1 GB)");
        }
        initialWeights(tenantId, initial, modelSpec, errors);
    }

    /** The run's peak heap against the memory budget. */
    void checkMemory(TrainingMemory memory, FieldErrors errors) {
        long budget = limits.effectiveMemoryBudget();
        if (memory.peakBytes() > budget) {
            errors.add("$", "training this run needs about " + mb(memory.peakBytes()) + " of heap ("
                    + mb(memory.dataBytes()) + " of data, " + mb(memory.trainingBytes())
                    + " of parameters, optimizer state, checkpoints and batch buffers), more than the memory budget of "
                    + mb(budget) + " (backprop.memory-budget)");
        }
    }

    /** Another tenant's run or weights are as unknown as an id that does not exist. */
    private void initialWeights(UUID tenantId, RunSpec.InitialWeights w, ModelSpec model, FieldErrors errors) {
        if (w == null) {
            return;
        }
        String p = "$.initialWeights";
        if ((w.runId() == null) == (w.weightsId() == null)) {
            errors.add(p, "give exactly one of runId, weightsId");
            return;
        }
        Optional<Map<String, long[]>> shapes = w.runId() != null ? weights.runWeightShapes(tenantId, w.runId())
                : weights.uploadedWeightShapes(tenantId, w.weightsId());
        if (shapes.isEmpty()) {
            errors.add(w.runId() != null ? p + ".runId" : p + ".weightsId", w.runId() != null
                    ? "no succeeded run with weights has id " + w.runId() : "no uploaded weights with id " + w.weightsId());
            return;
        }
        Map<String, long[]> expected = SpecMapping.expectedShapes(model);
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

    private static String mb(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB (%d bytes)", bytes / 1048576.0, bytes);
    }
}
