package io.backprop.models;

import io.backprop.core.Activation;
import io.backprop.core.LayerSpec;
import io.backprop.core.Loss;
import io.backprop.core.Network;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * A trained model as an ONNX file (IR version 8, opset 17): input {@code input} float32
 * {@code [batch, features]} of raw features, the standardization in the graph ({@code Sub}, {@code Div}),
 * per layer a {@code Gemm} (weights {@code [out, in]}, {@code transB = 1}) and its activation, dropout
 * absent (inference); outputs {@code output} (what {@code POST /predictions} returns) and, for
 * classification, {@code label} (int64: the class index for softmax, 0/1 per unit for sigmoid heads).
 * Field numbers are those of onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto).
 */
public final class OnnxExport {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int IR_VERSION = 8;
    private static final int OPSET = 17;
    private static final int FLOAT = 1;
    private static final int INT64 = 7;
    private static final int ATTRIBUTE_FLOAT = 1;
    private static final int ATTRIBUTE_INT = 2;

    private OnnxExport() {
    }

    public static byte[] of(TrainedModel model, List<String> featureNames, UUID runId) {
        Network network = model.network();
        int features = network.spec().inputs();
        Protobuf graph = new Protobuf().string(2, "backprop");
        graph.message(5, tensor("mean", new long[] {features}, model.preprocessing().mean()));
        graph.message(5, tensor("scale", new long[] {features}, model.preprocessing().std()));
        graph.message(1, node("Sub", "standardize_sub", List.of("input", "mean"), "centered"));
        graph.message(1, node("Div", "standardize_div", List.of("centered", "scale"), "x0"));
        String x = "x0";
        int layers = network.layerCount();
        for (int l = 0; l < layers; l++) {
            float[][] w = network.weightOutIn(l);
            float[] flat = new float[w.length * w[0].length];
            for (int o = 0; o < w.length; o++) {
                System.arraycopy(w[o], 0, flat, o * w[o].length, w[o].length);
            }
            graph.message(5, tensor("layers." + l + ".weight", new long[] {w.length, w[0].length}, flat));
            graph.message(5, tensor("layers." + l + ".bias", new long[] {w.length}, network.bias(l)));
            LayerSpec layer = network.spec().layers().get(l);
            boolean last = l == layers - 1;
            String linear = last && layer.activation() == Activation.LINEAR ? "output" : "z" + l;
            graph.message(1, node("Gemm", "layers." + l, List.of(x, "layers." + l + ".weight", "layers." + l + ".bias"),
                    linear, intAttribute("transB", 1)));
            String activated = last ? "output" : "a" + l;
            Protobuf activation = activation(layer, l, linear, activated);
            if (activation != null) {
                graph.message(1, activation);
            }
            x = activation == null ? linear : activated;
        }
        graph.message(11, value("input", FLOAT, "batch", features));
        graph.message(12, value("output", FLOAT, "batch", network.spec().layers().get(layers - 1).units()));
        Loss loss = network.spec().loss();
        if (loss == Loss.CROSS_ENTROPY) {
            graph.message(1, node("ArgMax", "label", List.of("output"), "label", intAttribute("axis", 1),
                    intAttribute("keepdims", 0)));
            graph.message(12, value("label", INT64, "batch", -1));
        } else if (loss == Loss.BINARY_CROSS_ENTROPY) {
            graph.message(5, tensor("half", new long[0], new float[] {0.5f}));
            graph.message(1, node("GreaterOrEqual", "on", List.of("output", "half"), "on"));
            graph.message(1, node("Cast", "label", List.of("on"), "label", intAttribute("to", INT64)));
            graph.message(12, value("label", INT64, "batch", network.spec().layers().get(layers - 1).units()));
        }
        Protobuf file = new Protobuf()
                .varint(1, IR_VERSION)
                .string(2, "backprop")
                .string(3, "0.1.0")
                .message(8, new Protobuf().string(1, "").varint(2, OPSET))
                .message(7, graph);
        Map<String, String> metadata = Map.of("classes", JSON.writeValueAsString(model.classes()),
                "featureNames", JSON.writeValueAsString(featureNames), "spec", JSON.writeValueAsString(model.spec()),
                "runId", runId.toString());
        metadata.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> file.message(14, new Protobuf().string(1, e.getKey()).string(2, e.getValue())));
        return file.toByteArray();
    }

    /** The activation node, or null for a linear layer. */
    private static Protobuf activation(LayerSpec layer, int l, String in, String out) {
        String name = "layers." + l + "." + layer.activation().id();
        return switch (layer.activation()) {
            case RELU -> node("Relu", name, List.of(in), out);
            case SIGMOID -> node("Sigmoid", name, List.of(in), out);
            case TANH -> node("Tanh", name, List.of(in), out);
            case LEAKY_RELU -> node("LeakyRelu", name, List.of(in), out, floatAttribute("alpha", (float) layer.parameter()));
            case ELU -> node("Elu", name, List.of(in), out, floatAttribute("alpha", (float) layer.parameter()));
            case SOFTMAX -> node("Softmax", name, List.of(in), out, intAttribute("axis", -1));
            case LINEAR -> null;
        };
    }

    private static Protobuf node(String op, String name, List<String> inputs, String output, Protobuf... attributes) {
        Protobuf node = new Protobuf();
        inputs.forEach(i -> node.string(1, i));
        node.string(2, output).string(3, name).string(4, op);
        for (Protobuf a : attributes) {
            node.message(5, a);
        }
        return node;
    }

    private static Protobuf intAttribute(String name, long value) {
        return new Protobuf().string(1, name).varint(3, value).varint(20, ATTRIBUTE_INT);
    }

    private static Protobuf floatAttribute(String name, float value) {
        return new Protobuf().string(1, name).float32(2, value).varint(20, ATTRIBUTE_FLOAT);
    }

    /** A float32 initializer, its values as little-endian raw data. */
    private static Protobuf tensor(String name, long[] dims, float[] values) {
        Protobuf t = new Protobuf();
        for (long d : dims) {
            t.varint(1, d);
        }
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        return t.varint(2, FLOAT).string(8, name).bytes(9, raw.array());
    }

    /** A graph input or output: {@code [batch, width]} with a symbolic batch, or {@code [batch]} when width < 0. */
    private static Protobuf value(String name, int elementType, String batch, int width) {
        Protobuf shape = new Protobuf().message(1, new Protobuf().string(2, batch));
        if (width >= 0) {
            shape.message(1, new Protobuf().varint(1, width));
        }
        Protobuf tensorType = new Protobuf().varint(1, elementType).message(2, shape);
        return new Protobuf().string(1, name).message(2, new Protobuf().message(1, tensorType));
    }
}
