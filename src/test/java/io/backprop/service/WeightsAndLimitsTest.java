package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** Warm starts from runs and uploads, checkpoint downloads, ETags, and the queue and dataset limits. */
@TestPropertySource(properties = {"backprop.workers=1", "backprop.max-queued-runs=1",
        // the checkpoint rule is under test here, not the memory budget of the test JVM
        "backprop.memory-budget=64GB"})
class WeightsAndLimitsTest extends ServiceTestBase {

    private String succeeded(Map<String, Object> spec) {
        String id = api.postJson("/api/v1/runs", spec).json().get("id").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> Runs.status(api, id).matches("SUCCEEDED|FAILED|CANCELLED"));
        assertThat(Runs.status(api, id)).isEqualTo("SUCCEEDED");
        return id;
    }

    @Test
    void uploadedAndRunWeightsWarmStartRunsAndMismatchedShapesAreRefused() {
        String base = succeeded(Specs.classifier(Specs.builtin("iris"), 3, 5, 16));
        byte[] file = api.get("/api/v1/runs/" + base + "/weights?format=safetensors").body();

        Api.Response upload = api.upload("/api/v1/weights", "iris.safetensors", file);
        assertThat(upload.status()).isEqualTo(201);
        String weightsId = upload.json().get("weightsId").asString();
        assertThat(upload.json().get("tensors").get("layers.0.weight").toString()).isEqualTo("[16,4]");

        Map<String, Object> fromUpload = Specs.with(Specs.classifier(Specs.builtin("iris"), 3, 1, 16),
                "initialWeights", Map.of("weightsId", weightsId));
        Map<String, Object> fromRun = Specs.with(Specs.classifier(Specs.builtin("iris"), 3, 1, 16),
                "initialWeights", Map.of("runId", base));
        String warm = succeeded(fromUpload);
        succeeded(fromRun);
        // one epoch from trained weights starts far below a fresh network's first epoch
        double warmLoss = api.get("/api/v1/runs/" + warm + "/metrics").json().get(0).get("loss").asDouble();
        double coldLoss = api.get("/api/v1/runs/" + base + "/metrics").json().get(0).get("loss").asDouble();
        assertThat(warmLoss).isLessThan(coldLoss);

        long runsBefore = api.get("/api/v1/runs").json().get("totalElements").asLong();
        Map<String, Object> mismatched = Specs.with(Specs.classifier(Specs.builtin("wine"), 3, 1, 16),
                "initialWeights", Map.of("weightsId", weightsId));
        Api.Response refused = api.postJson("/api/v1/runs", mismatched);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("$.initialWeights");
        assertThat(refused.json().get("errors").get(0).get("message").asString()).contains("layers.0.weight", "[16, 13]");
        assertThat(api.get("/api/v1/runs").json().get("totalElements").asLong()).isEqualTo(runsBefore);
    }

    @Test
    void float64WeightsUploadAndWarmStartAsFloat32() {
        String base = succeeded(Specs.classifier(Specs.builtin("iris"), 3, 5, 16));
        JsonNode weights = api.get("/api/v1/runs/" + base + "/weights").json();
        byte[] f64 = float64Safetensors(weights.get("layers"));

        Api.Response upload = api.upload("/api/v1/weights", "iris-f64.safetensors", f64);
        assertThat(upload.status()).isEqualTo(201);
        String warm = succeeded(Specs.with(Specs.classifier(Specs.builtin("iris"), 3, 1, 16),
                "initialWeights", Map.of("weightsId", upload.json().get("weightsId").asString())));
        double warmLoss = api.get("/api/v1/runs/" + warm + "/metrics").json().get(0).get("loss").asDouble();
        double coldLoss = api.get("/api/v1/runs/" + base + "/metrics").json().get(0).get("loss").asDouble();
        assertThat(warmLoss).isLessThan(coldLoss);
    }

    /** The layers of a JSON weights download as an F64 safetensors file. */
    static byte[] float64Safetensors(JsonNode layers) {
        StringBuilder header = new StringBuilder("{");
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        long offset = 0;
        for (int l = 0; l < layers.size(); l++) {
            JsonNode w = layers.get(l).get("weight");
            JsonNode b = layers.get(l).get("bias");
            int out = w.size();
            int in = w.get(0).size();
            java.nio.ByteBuffer wb = java.nio.ByteBuffer.allocate(8 * out * in).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            w.forEach(row -> row.forEach(v -> wb.putDouble(v.asDouble())));
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(8 * out).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.forEach(v -> bb.putDouble(v.asDouble()));
            header.append(l == 0 ? "" : ",").append("\"layers.").append(l).append(".weight\":{\"dtype\":\"F64\",\"shape\":[")
                    .append(out).append(',').append(in).append("],\"data_offsets\":[").append(offset).append(',')
                    .append(offset + wb.capacity()).append("]}");
            offset += wb.capacity();
            header.append(",\"layers.").append(l).append(".bias\":{\"dtype\":\"F64\",\"shape\":[").append(out)
                    .append("],\"data_offsets\":[").append(offset).append(',').append(offset + bb.capacity()).append("]}");
            offset += bb.capacity();
            data.writeBytes(wb.array());
            data.writeBytes(bb.array());
        }
        byte[] h = header.append('}').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer file = java.nio.ByteBuffer.allocate(8 + h.length + data.size()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        file.putLong(h.length).put(h).put(data.toByteArray());
        return file.array();
    }

    @Test
    void aModelWhoseCheckpointWouldNotFitIsRefusedUpFront() {
        Map<String, Object> dataset = Map.of("generator", Map.of("type", "classification", "rows", 10,
                "features", 2000, "classes", 2));
        Map<String, Object> huge = Specs.run(dataset, List.of(8000, 6000), 2, "cross_entropy", "softmax",
                Map.of("type", "adam", "learningRate", 0.001), Map.of("epochs", 1, "validationSplit", 0.2,
                        "earlyStopping", Map.of("monitor", "val_loss", "restoreBest", true)));

        Api.Response refused = api.postJson("/api/v1/runs", huge);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("errors").get(0).get("message").asString()).contains("checkpoint", "restoreBest");
        Api.Response withoutBest = api.postJson("/api/v1/runs?dryRun=true", Specs.with(huge, "training",
                Map.of("epochs", 1)));
        assertThat(withoutBest.status()).isEqualTo(200);
    }

    @Test
    void weightsCarryAnEtagThatAnswersNotModified() {
        String id = succeeded(Specs.classifier(Specs.builtin("iris"), 3, 2, 16));
        Api.Response first = api.get("/api/v1/runs/" + id + "/weights?format=safetensors");
        String etag = first.header("ETag");
        Api.Response again = api.get("/api/v1/runs/" + id + "/weights?format=safetensors", "application/octet-stream");
        assertThat(again.header("ETag")).isEqualTo(etag);
        Api.Response conditional = api.send("GET", "/api/v1/runs/" + id + "/weights?format=safetensors",
                "If-None-Match", etag);
        assertThat(conditional.status()).isEqualTo(304);
        // nginx weakens a strong tag when it compresses the answer; the weak form must still match
        assertThat(api.send("GET", "/api/v1/runs/" + id + "/weights?format=safetensors", "If-None-Match", "W/" + etag)
                .status()).isEqualTo(304);
    }

    @Test
    void aFullQueueAnswers429AndABusyDatasetCannotBeDeleted() {
        String datasetId = api.postJson("/api/v1/datasets", Map.of("name", "xor",
                "features", List.of(List.of(0, 0), List.of(0, 1), List.of(1, 0), List.of(1, 1)),
                "labels", List.of(0, 1, 1, 0))).json().get("id").asString();
        Map<String, Object> longOnXor = Specs.run(Map.of("id", datasetId), List.of(8), 2, "cross_entropy", "softmax",
                Map.of("type", "sgd", "learningRate", 0.1), Map.of("epochs", 100000, "batchSize", 1));
        String running = api.postJson("/api/v1/runs", longOnXor).json().get("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> Runs.status(api, running).equals("RUNNING"));
        String queued = api.postJson("/api/v1/runs", longOnXor).json().get("id").asString();

        Api.Response full = api.postJson("/api/v1/runs", longOnXor);
        assertThat(full.status()).isEqualTo(429);
        assertThat(full.header("Retry-After")).isEqualTo("30");
        assertThat(full.contentType()).startsWith("application/problem+json");

        assertThat(api.delete("/api/v1/datasets/" + datasetId).status()).isEqualTo(409);
        JsonNode weightsOfRunning = api.get("/api/v1/runs/" + running + "/weights").json();
        assertThat(weightsOfRunning.get("status").asInt()).isEqualTo(409);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                api.get("/api/v1/runs/" + running + "/weights?checkpoint=latest").status() == 200);
        assertThat(api.delete("/api/v1/runs/" + running).status()).isEqualTo(409);

        api.post("/api/v1/runs/" + queued + "/cancel", null, new byte[0]);
        api.post("/api/v1/runs/" + running + "/cancel", null, new byte[0]);
        await().atMost(Duration.ofSeconds(30)).until(() -> Runs.status(api, running).equals("CANCELLED"));
        assertThat(Runs.status(api, queued)).isEqualTo("CANCELLED");
        assertThat(api.delete("/api/v1/datasets/" + datasetId).status()).isEqualTo(204);
    }
}
