package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every exported model runs in ONNX Runtime on raw features and answers as {@code POST /predictions}
 * does, to 1e-5: every activation, every loss, binary, multi-class, multi-label and multi-output heads.
 */
class OnnxExportTest extends ServiceTestBase {

    private static final OrtEnvironment ORT = OrtEnvironment.getEnvironment();

    private static Map<String, Object> layer(int units, String activation, Object... extra) {
        Map<String, Object> layer = new java.util.LinkedHashMap<>(Map.of("units", units, "activation", activation));
        for (int i = 0; i < extra.length; i += 2) {
            layer.put((String) extra[i], extra[i + 1]);
        }
        return layer;
    }

    private String train(Map<String, Object> dataset, List<Map<String, Object>> layers, String loss) {
        Map<String, Object> spec = Map.of("name", "onnx-" + loss, "dataset", dataset,
                "model", Map.of("layers", layers, "loss", loss),
                "optimizer", Map.of("type", "adam", "learningRate", 0.01),
                "training", Map.of("epochs", 3, "batchSize", 16, "seed", 7, "validationSplit", 0.2));
        Api.Response r = api.postJson("/api/v1/runs", spec);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        String id = r.json().get("id").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> Runs.status(api, id).equals("SUCCEEDED"));
        return id;
    }

    /** Runs the exported model on {@code inputs} and compares it with the service's predictions. */
    private void assertSameAsService(String runId, float[][] inputs) throws Exception {
        Api.Response file = api.get("/api/v1/runs/" + runId + "/weights?format=onnx");
        assertThat(file.status()).as(file.text()).isEqualTo(200);
        assertThat(file.contentType()).isEqualTo("application/onnx");
        assertThat(file.header("Content-Disposition")).contains(".onnx").contains(runId.substring(0, 8));
        assertThat(api.get("/api/v1/runs/" + runId + "/weights", "application/onnx").body()).isEqualTo(file.body());

        checkWithOnnxPackage(file.body());

        List<List<Float>> rows = new ArrayList<>();
        for (float[] row : inputs) {
            List<Float> values = new ArrayList<>();
            for (float v : row) {
                values.add(v);
            }
            rows.add(values);
        }
        JsonNode predicted = api.postJson("/api/v1/runs/" + runId + "/predictions", Map.of("inputs", rows)).json();
        JsonNode classes = predicted.get("classes");
        try (OrtSession session = ORT.createSession(file.body(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(ORT, inputs);
             OrtSession.Result result = session.run(Map.of("input", input))) {
            Map<String, String> metadata = session.getMetadata().getCustomMetadata();
            assertThat(metadata.get("runId")).isEqualTo(runId);
            assertThat(metadata.get("classes")).isEqualTo(classes.toString());
            assertThat(Api.JSON.readTree(metadata.get("spec")).get("name").asString()).startsWith("onnx-");
            assertThat(Api.JSON.readTree(metadata.get("featureNames")).size()).isEqualTo(inputs[0].length);

            float[][] output = (float[][]) result.get("output").orElseThrow().getValue();
            for (int r = 0; r < inputs.length; r++) {
                for (int j = 0; j < output[r].length; j++) {
                    assertThat((double) output[r][j]).as("row %d output %d", r, j)
                            .isCloseTo(predicted.get("outputs").get(r).get(j).asDouble(), within(1e-5));
                }
            }
            JsonNode labels = predicted.get("labels");
            if (labels.isNull()) {
                assertThat(result.get("label")).as("regression has no label output").isEmpty();
                return;
            }
            Object label = result.get("label").orElseThrow().getValue();
            for (int r = 0; r < inputs.length; r++) {
                if (label instanceof long[] indices) {
                    assertThat(classes.get((int) indices[r]).asString()).isEqualTo(labels.get(r).asString());
                } else {
                    long[] on = ((long[][]) label)[r];
                    List<String> named = new ArrayList<>();
                    for (int j = 0; j < on.length; j++) {
                        if (on[j] == 1) {
                            named.add(classes.get(on.length == 1 ? 1 : j).asString());
                        }
                    }
                    if (on.length == 1) {
                        assertThat(classes.get((int) on[0]).asString()).isEqualTo(labels.get(r).asString());
                    } else {
                        List<String> expected = new ArrayList<>();
                        labels.get(r).forEach(l -> expected.add(l.asString()));
                        assertThat(named).isEqualTo(expected);
                    }
                }
            }
        }
    }

    /**
     * The ONNX project's own checker (Debian's python3-onnx 1.12, which .ci/run installs), with full shape
     * inference; where it is not installed only ONNX Runtime checks the file.
     */
    private static void checkWithOnnxPackage(byte[] model) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/python3"))
                || new ProcessBuilder("/usr/bin/python3", "-c", "import onnx").start().waitFor() != 0) {
            return;
        }
        Path file = Files.createTempFile("export", ".onnx");
        Files.write(file, model);
        Process check = new ProcessBuilder("/usr/bin/python3", "-c", "import onnx, sys; m = onnx.load(sys.argv[1]); "
                + "onnx.checker.check_model(m, full_check=True); print(m.ir_version, m.opset_import[0].version)",
                file.toString()).redirectErrorStream(true).start();
        String out = new String(check.getInputStream().readAllBytes()).strip();
        assertThat(check.waitFor()).as(out).isZero();
        assertThat(out).isEqualTo("8 17");
    }

    private static float[][] grid(int rows, int features, float scale) {
        float[][] x = new float[rows][features];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < features; j++) {
                x[r][j] = scale * (float) Math.sin(1.7 * r + 0.9 * j + 0.3);
            }
        }
        return x;
    }

    @Test
    void softmaxClassifierWithReluAndDropoutGivesTheSameOutputsAndLabels() throws Exception {
        String run = train(Map.of("builtin", "iris"), List.of(layer(16, "relu", "dropout", 0.2), layer(3, "softmax")),
                "cross_entropy");
        float[][] x = grid(12, 4, 3f);
        for (float[] row : x) {
            row[0] += 5.8f;
            row[2] += 3.7f;
        }
        assertSameAsService(run, x);
    }

    @Test
    void binaryHeadWithSigmoidAndTanhLayers() throws Exception {
        String run = train(Map.of("builtin", "breast_cancer"), List.of(layer(8, "sigmoid"), layer(8, "tanh"),
                layer(1, "sigmoid")), "binary_cross_entropy");
        float[][] x = grid(10, 30, 50f);
        assertSameAsService(run, x);
    }

    @Test
    void regressionWithLeakyReluEluAndALinearMultiOutputHead() throws Exception {
        StringBuilder csv = new StringBuilder("x1,x2,x3,sum,diff\n");
        for (int i = 0; i < 300; i++) {
            double a = (i % 17) / 17.0;
            double b = (i % 13) / 13.0;
            csv.append(a).append(',').append(b).append(',').append(a * b).append(',').append(a + b).append(',').append(a - b).append('\n');
        }
        String dataset = api.upload("/api/v1/datasets", "sums.csv", csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "label", "sum,diff").json().get("id").asString();
        String run = train(Map.of("id", dataset), List.of(layer(12, "leaky_relu", "slope", 0.2),
                layer(12, "elu", "alpha", 0.7), layer(2, "linear")), "mse");
        assertSameAsService(run, grid(9, 3, 1f));
    }

    @Test
    void multiLabelSigmoidHead() throws Exception {
        String dataset = api.postJson("/api/v1/datasets", Specs.quadrants()).json().get("id").asString();
        String run = train(Map.of("id", dataset), List.of(layer(16, "relu"), layer(2, "sigmoid")), "binary_cross_entropy");
        assertSameAsService(run, grid(10, 2, 1f));
    }
}
