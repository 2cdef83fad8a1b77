package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.backprop.core.SharedFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The single-instance default on its H2 file: a process killed with SIGKILL mid-training is started
 * again; everything it stored is there, and the run it was training resumes from its checkpoint to
 * the weights an uninterrupted run produces.
 */
class RestartTest {

    /** Long enough that the instance is killed well before the run ends. */
    static final int EPOCHS = 40;

    static Map<String, Object> longRun(String name) {
        return longRun(name, EPOCHS);
    }

    static Map<String, Object> longRun(String name, int epochs) {
        return Specs.with(Specs.run(Map.of("generator", Map.of("type", "classification", "rows", 6000,
                        "features", 32, "classes", 4, "seed", 5)), List.of(32), 4, "cross_entropy", "softmax",
                Map.of("type", "sgd", "learningRate", 0.01, "momentum", 0.9),
                Map.of("epochs", epochs, "batchSize", 4, "seed", 9, "validationSplit", 0.1)), "name", name);
    }

    @Test
    void aKilledInstanceKeepsItsDataAndItsCutOffRunTrainsAgainToTheSameWeights() {
        Path dir = ServiceProcess.tempDir("backprop-restart");
        String url = "jdbc:h2:file:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
        String datasetId;
        String finishedId;
        String cutOffId;
        JsonNode finishedBefore;
        try (ServiceProcess first = ServiceProcess.start(url, dir, "first", Map.of("backprop.workers", "1"))) {
            Api api = first.api;
            datasetId = api.uploadFile("/api/v1/datasets", SharedFiles.dataset("iris.csv"), "name", "iris").json()
                    .get("id").asString();
            finishedId = api.postJson("/api/v1/runs", Specs.classifier(Map.of("id", datasetId), 3, 5, 16)).json()
                    .get("id").asString();
            await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(status(api, finishedId)));
            finishedBefore = api.get("/api/v1/runs/" + finishedId + "/metrics").json();
            cutOffId = api.postJson("/api/v1/runs", longRun("cut-off")).json().get("id").asString();
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    api.get("/api/v1/runs/" + cutOffId + "/metrics").json().size() >= 2);
            first.kill();
        }

        try (ServiceProcess second = ServiceProcess.start(url, dir, "second", Map.of("backprop.workers", "1"))) {
            Api api = second.api;
            assertThat(api.get("/api/v1/datasets/" + datasetId).json().get("rows").asInt()).isEqualTo(150);
            assertThat(status(api, finishedId)).isEqualTo("SUCCEEDED");
            assertThat(api.get("/api/v1/runs/" + finishedId + "/metrics").json()).isEqualTo(finishedBefore);
            assertThat(api.get("/api/v1/runs/" + finishedId + "/weights?format=safetensors").status()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(120)).until(() -> "SUCCEEDED".equals(status(api, cutOffId)));
            JsonNode run = api.get("/api/v1/runs/" + cutOffId).json();
            assertThat(run.get("attempts").asInt()).isEqualTo(2);
            List<String> statuses = new ArrayList<>();
            run.get("statusHistory").forEach(s -> statuses.add(s.get("status").asString()));
            assertThat(statuses).containsExactly("QUEUED", "RUNNING", "QUEUED", "RUNNING", "SUCCEEDED");
            // the new process hands back what its dead predecessor left, without waiting for heartbeats
            assertThat(run.get("statusHistory").get(2).get("reason").asString()).endsWith("had stopped (found at start-up)");
            assertContinuousEpochs(api, cutOffId, EPOCHS);

            String referenceId = api.postJson("/api/v1/runs", longRun("cut-off")).json().get("id").asString();
            await().atMost(Duration.ofSeconds(120)).until(() -> "SUCCEEDED".equals(status(api, referenceId)));
            assertThat(tensors(api, cutOffId)).isEqualTo(tensors(api, referenceId));
        }
    }

    static String status(Api api, String runId) {
        return api.get("/api/v1/runs/" + runId).json().get("status").asString();
    }

    static void assertContinuousEpochs(Api api, String runId, int epochs) {
        JsonNode rows = api.get("/api/v1/runs/" + runId + "/metrics").json();
        assertThat(rows.size()).isEqualTo(epochs);
        for (int e = 0; e < epochs; e++) {
            assertThat(rows.get(e).get("epoch").asInt()).isEqualTo(e + 1);
        }
        JsonNode steps = api.get("/api/v1/runs/" + runId + "/metrics?granularity=step&limit=10000").json();
        for (int s = 0; s < steps.size(); s++) {
            assertThat(steps.get(s).get("step").asLong()).isEqualTo(s + 1);
        }
    }

    /** The tensor bytes of a run's safetensors file: everything after the JSON header. */
    static byte[] tensors(Api api, String runId) {
        byte[] file = api.get("/api/v1/runs/" + runId + "/weights?format=safetensors").body();
        long header = java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        return java.util.Arrays.copyOfRange(file, (int) (8 + header), file.length);
    }
}
