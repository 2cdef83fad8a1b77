package io.backprop.runs;

import io.backprop.config.BackpropProperties;
import io.backprop.core.ModelSpec;
import io.backprop.core.OptimizerSpec;
import io.backprop.core.TrainingConfig;
import io.backprop.core.TrainingMemory;
import io.backprop.datasets.DatasetDescription;
import io.backprop.datasets.DatasetService;
import io.backprop.web.FieldErrors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Validates a submitted {@link RunSpec} (every problem with its JSON path) and fills in every default,
 * so the stored spec says exactly what trained. The rules live by section: {@link ModelRules},
 * {@link OptimizerRules}, {@link TrainingRules}, {@link ResourceRules}; {@link SpecMapping} turns the
 * result into the core's objects.
 */
@Component
public class RunSpecResolver {

    private final DatasetService datasets;
    private final ResourceRules resources;
    private final BackpropProperties limits;

    RunSpecResolver(DatasetService datasets, ResourceRules resources, BackpropProperties limits) {
        this.datasets = datasets;
        this.resources = resources;
        this.limits = limits;
    }

    /** A resolved spec with the core's view of it. */
    public record Resolution(RunSpec spec, DatasetDescription dataset, ModelSpec model, OptimizerSpec optimizer,
                             TrainingConfig config) {

        /** The heap this run needs at its peak while training. */
        public TrainingMemory memory() {
            return TrainingMemory.estimate(model, optimizer, config, dataset.rows());
        }
    }

    /** @throws io.backprop.web.ApiException 422 listing every bad field */
    Resolution resolve(UUID tenantId, RunSpec request) {
        FieldErrors errors = new FieldErrors();
        if (request == null) {
            errors.add("$", "a run spec is required");
            errors.throwIfAny();
        }
        Map<String, String> tags = tags(request.tags(), errors);
        DatasetDescription dataset = datasets.describe(tenantId, request.dataset(), "$.dataset", errors);
        RunSpec.Model model = ModelRules.model(request.model(), errors);
        RunSpec.Optimizer optimizer = OptimizerRules.optimizer(request.optimizer(), errors);
        RunSpec.Training training = TrainingRules.training(request.training(), model, limits, errors);
        if (dataset != null && model != null) {
            ModelRules.fitToDataset(model, dataset, errors);
            if (training != null && dataset.rows() - SpecMapping.toTrainingConfig(training).validationRows(dataset.rows()) < 1) {
                errors.add("$.training.validationSplit", "leaves no training rows in a dataset of " + dataset.rows());
            }
        }
        String name = request.name();
        if (name != null && (name.isBlank() || name.length() > 200)) {
            errors.add("$.name", "must be 1 to 200 characters");
        }
        errors.throwIfAny();

        ModelSpec modelSpec = SpecMapping.toModelSpec(model, dataset.featureNames().size(), errors);
        if (modelSpec != null) {
            resources.check(tenantId, modelSpec, optimizer, training, request.initialWeights(), errors);
        }
        errors.throwIfAny();
        OptimizerSpec optimizerSpec = SpecMapping.toOptimizerSpec(optimizer);
        TrainingConfig config = SpecMapping.toTrainingConfig(training);
        if (name == null) {
            name = defaultName(dataset);
        }
        RunSpec resolved = new RunSpec(name, tags, dataset.resolved(), model, optimizer, training,
                request.initialWeights());
        Resolution resolution = new Resolution(resolved, dataset, modelSpec, optimizerSpec, config);
        resources.checkMemory(resolution.memory(), errors);
        errors.throwIfAny();
        return resolution;
    }

    /** Rebuilds the core's objects from a stored, already resolved spec. */
    public Resolution reload(RunSpec spec, DatasetDescription dataset) {
        FieldErrors errors = new FieldErrors();
        ModelSpec model = SpecMapping.toModelSpec(spec.model(), dataset.featureNames().size(), errors);
        errors.throwIfAny();
        return new Resolution(spec, dataset, model, SpecMapping.toOptimizerSpec(spec.optimizer()), SpecMapping.toTrainingConfig(spec.training()));
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
}
