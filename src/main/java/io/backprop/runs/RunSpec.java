package io.backprop.runs;

import io.backprop.datasets.DatasetRef;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A run as submitted, and, once resolved, with every default filled in (the {@code spec} of a run).
 * Optional parts left out stay null: {@code clipNorm}, {@code schedule}, {@code earlyStopping},
 * {@code initialWeights}.
 */
public record RunSpec(String name, Map<String, String> tags, DatasetRef dataset, Model model, Optimizer optimizer,
                      Training training, InitialWeights initialWeights) {

    /** @param init default he_uniform for the ReLU family, xavier_uniform otherwise */
    public record Model(List<Layer> layers, String loss, String init) {
    }

    /**
     * @param slope   leaky_relu only, default 0.01
     * @param alpha   elu only, default 1.0
     * @param dropout probability of dropping an output in training, default 0; not on the output layer
     */
    public record Layer(Integer units, String activation, Double slope, Double alpha, Double dropout) {
    }

    /** torch.optim's fields and defaults. */
    public record Optimizer(String type, Double learningRate, Double momentum, Boolean nesterov, Double weightDecay,
                            Double beta1, Double beta2, Double epsilon, Double alpha) {
    }

    public record Training(Integer epochs, Integer batchSize, Boolean shuffle, Long seed, Double validationSplit,
                           Boolean standardize, Double clipNorm, Schedule schedule, EarlyStopping earlyStopping) {
    }

    public record Schedule(String type, Integer stepSize, Double gamma, Double minLearningRate, Integer cosineEpochs,
                           Integer warmupSteps) {
    }

    public record EarlyStopping(String monitor, String mode, Integer patience, Double minDelta, Boolean restoreBest) {
    }

    /** Exactly one: the final weights of a succeeded run, or an uploaded safetensors file. */
    public record InitialWeights(UUID runId, UUID weightsId) {
    }
}
