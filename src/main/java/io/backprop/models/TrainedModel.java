package io.backprop.models;

import io.backprop.core.ModelSpec;
import io.backprop.core.Network;
import io.backprop.core.Preprocessing;
import io.backprop.runs.RunSpec;
import io.backprop.runs.SpecMapping;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A trained network with what it needs to serve: the resolved spec, the class names of its outputs
 * and the standardization it was trained with. Its file form is safetensors with {@code spec},
 * {@code classes} and {@code preprocessing} as JSON strings in {@code __metadata__}.
 */
public record TrainedModel(RunSpec spec, List<String> classes, Preprocessing preprocessing, Network network) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public byte[] toSafetensors() {
        Map<String, long[]> shapes = SpecMapping.expectedShapes(network.spec());
        Map<String, float[]> data = new LinkedHashMap<>();
        for (int l = 0; l < network.layerCount(); l++) {
            float[][] w = network.weightOutIn(l);
            float[] flat = new float[w.length * (w.length == 0 ? 0 : w[0].length)];
            for (int o = 0; o < w.length; o++) {
                System.arraycopy(w[o], 0, flat, o * w[o].length, w[o].length);
            }
            data.put("layers." + l + ".weight", flat);
            data.put("layers." + l + ".bias", network.bias(l));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("spec", JSON.writeValueAsString(spec));
        metadata.put("classes", JSON.writeValueAsString(classes));
        metadata.put("preprocessing", JSON.writeValueAsString(Map.of("mean", preprocessing.mean(), "std", preprocessing.std())));
        return Safetensors.writeF32(shapes, data, metadata);
    }

    /** Reads a file this class wrote (the spec and metadata are trusted: they came from our database). */
    public static TrainedModel fromSafetensors(byte[] bytes) {
        Safetensors.File file = Safetensors.read(bytes);
        RunSpec spec = JSON.readValue(file.metadata().get("spec"), RunSpec.class);
        ModelSpec model = SpecMapping.modelSpec(spec.model(), (int) file.tensors().get("layers.0.weight").shape()[1]);
        List<String> classes = JSON.readValue(file.metadata().get("classes"), new TypeReference<List<String>>() {
        });
        Map<String, float[]> pre = JSON.readValue(file.metadata().get("preprocessing"),
                new TypeReference<Map<String, float[]>>() {
                });
        return new TrainedModel(spec, classes, new Preprocessing(pre.get("mean"), pre.get("std")),
                network(file.tensors(), model));
    }

    /** A network from torch-layout tensors whose shapes were checked against {@code model}. */
    static Network network(Map<String, Safetensors.Tensor> tensors, ModelSpec model) {
        List<double[][]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        for (int l = 0; l < model.layers().size(); l++) {
            Safetensors.Tensor w = tensors.get("layers." + l + ".weight");
            Safetensors.Tensor b = tensors.get("layers." + l + ".bias");
            int out = (int) w.shape()[0];
            int in = (int) w.shape()[1];
            double[][] m = new double[out][in];
            for (int o = 0; o < out; o++) {
                System.arraycopy(w.values(), o * in, m[o], 0, in);
            }
            weights.add(m);
            biases.add(b.values());
        }
        return Network.fromTorchLayout(model, weights, biases);
    }

    /** {@code GET /api/v1/runs/{id}/weights} as JSON. */
    public Map<String, Object> toJson() {
        List<Map<String, Object>> layers = new ArrayList<>();
        for (int l = 0; l < network.layerCount(); l++) {
            layers.add(Map.of("weight", network.weightOutIn(l), "bias", network.bias(l)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("spec", spec);
        body.put("classes", classes);
        body.put("preprocessing", Map.of("mean", preprocessing.mean(), "std", preprocessing.std()));
        body.put("layers", layers);
        return body;
    }
}
