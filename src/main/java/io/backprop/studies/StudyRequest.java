package io.backprop.studies;

import io.backprop.runs.RunSpec;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/studies}.
 *
 * @param space a JSON path of the spec (as {@code optimizer.learningRate} or {@code model.layers[0].units})
 *              to the domain its values are drawn from
 */
record StudyRequest(String name, RunSpec base, Map<String, Domain> space, Strategy strategy, Objective objective) {

    /** Exactly one of these. */
    record Domain(List<Object> values, List<Double> uniform, List<Double> logUniform, List<Long> intUniform) {
    }

    /**
     * @param type            grid, random or asha
     * @param minEpochs       asha: the first rung
     * @param reductionFactor asha: 1 in this many trials goes on at each rung (default 3)
     */
    record Strategy(String type, Integer maxTrials, Integer maxConcurrent, Long seed, Integer minEpochs,
                    Integer reductionFactor) {
    }

    /** @param metric loss, valLoss, accuracy or valAccuracy; mode min or max */
    record Objective(String metric, String mode) {
    }
}
