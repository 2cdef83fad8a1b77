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
 * A run whose attempts keep getting lost (as when it crashes every instance it lands on) is not
 * resumed forever: past {@code backprop.max-attempts} lost attempts it ends FAILED, saying so.
 */
@TestPropertySource(properties = "backprop.max-attempts=2")
class AttemptLimitTest extends ServiceTestBase {

    @Autowired
    RunLedger ledger;

    @Test
    void aRunThatKeepsLosingItsAttemptsGivesUpAfterTheLimit() {
        String id = api.postJson("/api/v1/runs", Specs.run(Map.of("generator", Map.of("type", "classification",
                        "rows", 20_000, "features", 16, "classes", 2, "seed", 1)), List.of(64), 2, "cross_entropy",
                "softmax", Map.of("type", "sgd", "learningRate", 0.01), Map.of("epochs", 1000, "batchSize", 1, "seed", 1)))
                .json().get("id").asString();
        for (int attempt = 1; attempt <= 2; attempt++) {
            int current = attempt;
            await().atMost(Duration.ofSeconds(60)).until(() -> running(id, current));
            // what a takeover records when the instance running it has died
            ledger.lost(UUID.fromString(id), "instance lost in test (attempt " + attempt + ")");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> "FAILED".equals(Runs.status(api, id)));
        JsonNode run = api.get("/api/v1/runs/" + id).json();
        assertThat(run.get("error").asString()).startsWith("gave up after 2 attempts");
        assertThat(run.get("attempts").asInt()).isEqualTo(2);
    }

    private boolean running(String id, int attempt) {
        JsonNode run = api.get("/api/v1/runs/" + id).json();
        return "RUNNING".equals(run.get("status").asString()) && run.get("attempts").asInt() == attempt;
    }
}
