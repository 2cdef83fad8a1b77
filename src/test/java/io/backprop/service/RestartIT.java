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
class RestartIT {

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
            await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(Runs.status(api, finishedId)));
            finishedBefore = api.get("/api/v1/runs/" + finishedId + "/metrics").json();
            cutOffId = api.postJson("/api/v1/runs", Runs.longRun("cut-off")).json().get("id").asString();
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    api.get("/api/v1/runs/" + cutOffId + "/metrics").json().size() >= 2);
            first.kill();
        }

        try (ServiceProcess second = ServiceProcess.start(url, dir, "second", Map.of("backprop.workers", "1"))) {
            Api api = second.api;
            assertThat(api.get("/api/v1/datasets/" + datasetId).json().get("rows").asInt()).isEqualTo(150);
            assertThat(Runs.status(api, finishedId)).isEqualTo("SUCCEEDED");
            assertThat(api.get("/api/v1/runs/" + finishedId + "/metrics").json()).isEqualTo(finishedBefore);
            assertThat(api.get("/api/v1/runs/" + finishedId + "/weights?format=safetensors").status()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(120)).until(() -> "SUCCEEDED".equals(Runs.status(api, cutOffId)));
            JsonNode run = api.get("/api/v1/runs/" + cutOffId).json();
            assertThat(run.get("attempts").asInt()).isEqualTo(2);
            List<String> statuses = new ArrayList<>();
            run.get("statusHistory").forEach(s -> statuses.add(s.get("status").asString()));
            assertThat(statuses).containsExactly("QUEUED", "RUNNING", "QUEUED", "RUNNING", "SUCCEEDED");
            // the new process hands back what its dead predecessor left, without waiting for heartbeats
            assertThat(run.get("statusHistory").get(2).get("reason").asString()).endsWith("had stopped (found at start-up)");
            Runs.assertContinuousEpochs(api, cutOffId, Runs.LONG_RUN_EPOCHS);

            String referenceId = api.postJson("/api/v1/runs", Runs.longRun("cut-off")).json().get("id").asString();
            await().atMost(Duration.ofSeconds(120)).until(() -> "SUCCEEDED".equals(Runs.status(api, referenceId)));
            assertThat(Runs.tensors(api, cutOffId)).isEqualTo(Runs.tensors(api, referenceId));
        }
    }
}
