package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.backprop.runs.RunLedger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * An attempt lost before its first checkpoint has already written step losses; the next attempt
 * starts from scratch and writes those steps again, so it must first remove the lost attempt's rows
 * (before, it failed the run on their primary key: a study's trial killed early ended FAILED).
 */
@TestPropertySource(properties = {"backprop.checkpoint-interval=1h", "backprop.step-loss-flush-interval=20ms"})
class LostAttemptTest extends ServiceTestBase {

    @Autowired
    RunLedger ledger;

    @Test
    void anAttemptLostBeforeItsFirstCheckpointIsRetrainedFromScratchOverItsStepRows() {
        // an epoch of 60,000 single-row steps takes seconds, so the loss falls before its end (checked)
        String id = api.postJson("/api/v1/runs", Specs.run(Map.of("generator", Map.of("type", "classification",
                        "rows", 60_000, "features", 64, "classes", 2, "seed", 3)), List.of(256), 2, "cross_entropy",
                "softmax", Map.of("type", "sgd", "learningRate", 0.001), Map.of("epochs", 1, "batchSize", 1, "seed", 3)))
                .json().get("id").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> steps(id).size() >= 1);
        ledger.lost(UUID.fromString(id), "instance lost in test");
        assertThat(api.get("/api/v1/runs/" + id + "/metrics").json().size())
                .as("no epoch (and so no checkpoint) before the attempt was lost").isZero();

        await().atMost(Duration.ofSeconds(120)).until(() -> Runs.status(api, id).matches("SUCCEEDED|FAILED"));
        JsonNode run = api.get("/api/v1/runs/" + id).json();
        assertThat(run.get("status").asString()).as("error: %s", run.get("error")).isEqualTo("SUCCEEDED");
        assertThat(run.get("attempts").asInt()).isEqualTo(2);
        JsonNode first = steps(id);
        for (int i = 0; i < first.size(); i++) {
            assertThat(first.get(i).get("step").asLong()).isEqualTo(i + 1);
        }
        Runs.assertContinuousEpochs(api, id, 1);
    }

    private JsonNode steps(String id) {
        return api.get("/api/v1/runs/" + id + "/metrics?granularity=step&limit=1000").json();
    }
}
