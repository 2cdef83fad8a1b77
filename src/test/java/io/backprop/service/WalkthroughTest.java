package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.backprop.core.SharedFiles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The README's curl walk-through, step by step over real HTTP. */
class WalkthroughTest extends ServiceTestBase {

    @Test
    void uploadTrainPollDownloadAndPredictAgree() {
        Api.Response upload = api.uploadFile("/api/v1/datasets", SharedFiles.dataset("iris.csv"), "name", "iris");
        assertThat(upload.status()).isEqualTo(201);
        JsonNode dataset = upload.json();
        assertThat(upload.header("Location")).isEqualTo("/api/v1/datasets/" + dataset.get("id").asString());
        assertThat(dataset.get("rows").asInt()).isEqualTo(150);
        assertThat(dataset.get("classes").toString()).isEqualTo("[\"setosa\",\"versicolor\",\"virginica\"]");
        assertThat(dataset.get("sha256").asString()).hasSize(64);

        Map<String, Object> spec = Specs.classifier(Map.of("id", dataset.get("id").asString()), 3, 60, 16);
        Api.Response submitted = api.postJson("/api/v1/runs", spec);
        assertThat(submitted.status()).isEqualTo(202);
        String runId = submitted.json().get("id").asString();
        assertThat(submitted.header("Location")).isEqualTo("/api/v1/runs/" + runId);

        await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/v1/runs/" + runId).json()
                .get("status").asString().equals("SUCCEEDED"));
        JsonNode run = api.get("/api/v1/runs/" + runId).json();
        assertThat(run.get("progress").get("fraction").asDouble()).isEqualTo(1.0);
        assertThat(run.get("metrics").get("valAccuracy").asDouble()).isGreaterThanOrEqualTo(0.9);
        assertThat(run.get("spec").get("model").get("init").asString()).isEqualTo("he_uniform");

        JsonNode epochs = api.get("/api/v1/runs/" + runId + "/metrics").json();
        assertThat(epochs.size()).isEqualTo(60);
        for (int i = 0; i < 60; i++) {
            assertThat(epochs.get(i).get("epoch").asInt()).isEqualTo(i + 1);
        }
        assertThat(epochs.get(59).get("loss").asDouble()).isLessThan(epochs.get(0).get("loss").asDouble());
        JsonNode steps = api.get("/api/v1/runs/" + runId + "/metrics?granularity=step&limit=10000").json();
        assertThat(steps.size()).isEqualTo(60 * 8);
        String csv = api.get("/api/v1/runs/" + runId + "/metrics", "text/csv").text();
        assertThat(csv.lines().count()).isEqualTo(61);

        JsonNode weights = api.get("/api/v1/runs/" + runId + "/weights").json();
        Api.Response file = api.get("/api/v1/runs/" + runId + "/weights?format=safetensors");
        assertThat(file.contentType()).isEqualTo("application/octet-stream");
        assertThat(file.header("Content-Disposition")).contains(".safetensors");
        assertThat(file.header("ETag")).isNotBlank();
        Map<String, float[][]> tensors = readSafetensors(file.body());
        for (int l = 0; l < 2; l++) {
            JsonNode layer = weights.get("layers").get(l);
            float[][] w = tensors.get("layers." + l + ".weight");
            assertThat(w.length).isEqualTo(layer.get("weight").size());
            for (int o = 0; o < w.length; o++) {
                for (int i = 0; i < w[o].length; i++) {
                    assertThat(w[o][i]).isEqualTo(layer.get("weight").get(o).get(i).floatValue());
                }
            }
            float[] b = tensors.get("layers." + l + ".bias")[0];
            for (int o = 0; o < b.length; o++) {
                assertThat(b[o]).isEqualTo(layer.get("bias").get(o).floatValue());
            }
        }

        List<List<Double>> inputs = List.of(List.of(5.1, 3.5, 1.4, 0.2), List.of(6.7, 3.0, 5.2, 2.3),
                List.of(5.9, 2.8, 4.3, 1.3));
        JsonNode predicted = api.postJson("/api/v1/runs/" + runId + "/predictions", Map.of("inputs", inputs)).json();
        assertThat(predicted.get("labels").toString()).isEqualTo("[\"setosa\",\"virginica\",\"versicolor\"]");
        for (int r = 0; r < inputs.size(); r++) {
            double[] expected = forward(weights, inputs.get(r));
            for (int c = 0; c < 3; c++) {
                assertThat(predicted.get("outputs").get(r).get(c).asDouble()).isCloseTo(expected[c],
                        org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    /** The network in double precision from the JSON weights: standardize, ReLU, softmax. */
    static double[] forward(JsonNode weights, List<Double> input) {
        JsonNode mean = weights.get("preprocessing").get("mean");
        JsonNode std = weights.get("preprocessing").get("std");
        double[] a = new double[input.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (input.get(i) - mean.get(i).asDouble()) / std.get(i).asDouble();
        }
        JsonNode layers = weights.get("layers");
        for (int l = 0; l < layers.size(); l++) {
            JsonNode w = layers.get(l).get("weight");
            double[] z = new double[w.size()];
            for (int o = 0; o < z.length; o++) {
                z[o] = layers.get(l).get("bias").get(o).asDouble();
                for (int i = 0; i < a.length; i++) {
                    z[o] += w.get(o).get(i).asDouble() * a[i];
                }
            }
            if (l < layers.size() - 1) {
                for (int o = 0; o < z.length; o++) {
                    z[o] = Math.max(0, z[o]);
                }
            } else {
                double max = java.util.Arrays.stream(z).max().orElseThrow();
                double sum = 0;
                for (int o = 0; o < z.length; o++) {
                    z[o] = Math.exp(z[o] - max);
                    sum += z[o];
                }
                for (int o = 0; o < z.length; o++) {
                    z[o] /= sum;
                }
            }
            a = z;
        }
        return a;
    }

    /** An independent reader of the safetensors layout: 1-D tensors come back as one row. */
    static Map<String, float[][]> readSafetensors(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = (int) buf.getLong();
        JsonNode header = Api.JSON.readTree(new String(bytes, 8, headerLength, StandardCharsets.UTF_8));
        assertThat(header.get("__metadata__").get("spec").asString()).contains("\"model\"");
        assertThat(header.get("__metadata__").get("classes").asString()).contains("setosa");
        assertThat(header.get("__metadata__").get("preprocessing").asString()).contains("\"std\"");
        Map<String, float[][]> tensors = new java.util.LinkedHashMap<>();
        header.properties().forEach(e -> {
            if (e.getKey().equals("__metadata__")) {
                return;
            }
            assertThat(e.getValue().get("dtype").asString()).isEqualTo("F32");
            JsonNode shape = e.getValue().get("shape");
            int rows = shape.size() == 2 ? shape.get(0).asInt() : 1;
            int cols = shape.size() == 2 ? shape.get(1).asInt() : shape.get(0).asInt();
            int begin = 8 + headerLength + e.getValue().get("data_offsets").get(0).asInt();
            float[][] t = new float[rows][cols];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    t[r][c] = buf.getFloat(begin + 4 * (r * cols + c));
                }
            }
            tensors.put(e.getKey(), t);
        });
        return tensors;
    }
}
