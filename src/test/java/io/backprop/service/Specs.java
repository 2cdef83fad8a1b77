package io.backprop.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Run specs for tests, as JSON-ready maps. */
public final class Specs {

    private Specs() {
    }

    public static Map<String, Object> run(Map<String, Object> dataset, List<Integer> hidden, int outputs, String loss,
                                          String outputActivation, Map<String, Object> optimizer,
                                          Map<String, Object> training) {
        List<Map<String, Object>> layers = new ArrayList<>();
        for (int units : hidden) {
            layers.add(Map.of("units", units, "activation", "relu"));
        }
        layers.add(Map.of("units", outputs, "activation", outputActivation));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("dataset", dataset);
        spec.put("model", Map.of("layers", layers, "loss", loss));
        spec.put("optimizer", optimizer);
        spec.put("training", training);
        return spec;
    }

    public static Map<String, Object> classifier(Map<String, Object> dataset, int classes, int epochs, int batch) {
        return run(dataset, List.of(16), classes, "cross_entropy", "softmax",
                Map.of("type", "adam", "learningRate", 0.01),
                Map.of("epochs", epochs, "batchSize", batch, "seed", 3, "validationSplit", 0.2));
    }

    public static Map<String, Object> builtin(String name) {
        return Map.of("builtin", name);
    }

    public static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    /**
     * A two-label dataset as JSON: points of a grid over [-1, 1)², labelled by the quadrant's signs
     * (label0: x > 0, label1: y > 0).
     */
    public static Map<String, Object> quadrants() {
        List<List<Double>> features = new ArrayList<>();
        List<List<Integer>> labels = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            double a = (i % 20) / 10.0 - 1;
            double b = (i / 20) / 5.0 - 1;
            features.add(List.of(a, b));
            labels.add(List.of(a > 0 ? 1 : 0, b > 0 ? 1 : 0));
        }
        return Map.of("name", "quadrants", "features", features, "labels", labels);
    }
}
