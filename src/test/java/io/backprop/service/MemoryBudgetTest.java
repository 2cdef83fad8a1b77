package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Two workers but memory for one run: the second run waits in the queue until the first has freed its
 * share, instead of both training and running the JVM out of memory; a run larger than the whole
 * budget is refused at submission with both figures.
 */
@TestPropertySource(properties = {"backprop.workers=2", "backprop.memory-budget=12MB"})
class MemoryBudgetTest extends ServiceTestBase {

    /** About 7 MB at its peak: two copies of 30,000 × 33 floats while loading. */
    static Map<String, Object> run(String name) {
        return Specs.with(Specs.run(Map.of("generator", Map.of("type", "classification", "rows", 30_000,
                        "features", 32, "classes", 4, "seed", 2)), List.of(32), 4, "cross_entropy", "softmax",
                Map.of("type", "sgd", "learningRate", 0.01), Map.of("epochs", 6, "batchSize", 4, "seed", 1)),
                "name", name);
    }

    @Test
    void aRunThatDoesNotFitBesideAnotherWaitsQueuedUntilTheFirstEnds() {
        String first = api.postJson("/api/v1/runs", run("first")).json().get("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(Runs.status(api, first)));
        String second = api.postJson("/api/v1/runs", run("second")).json().get("id").asString();

        await().atMost(Duration.ofSeconds(120)).until(() -> "SUCCEEDED".equals(Runs.status(api, second)));
        JsonNode a = api.get("/api/v1/runs/" + first).json();
        JsonNode b = api.get("/api/v1/runs/" + second).json();
        assertThat(a.get("status").asString()).isEqualTo("SUCCEEDED");
        // the second started only once the first had ended and released its memory
        assertThat(Instant.parse(b.get("startedAt").asString())).isAfterOrEqualTo(Instant.parse(a.get("finishedAt").asString()));
        assertThat(b.get("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void aRunLargerThanTheWholeBudgetIsRefusedNamingBothFigures() {
        Api.Response refused = api.postJson("/api/v1/runs", Specs.with(run("huge"), "dataset",
                Map.of("generator", Map.of("type", "classification", "rows", 200_000, "features", 32, "classes", 4))));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("detail").asString()).contains("needs about", "memory budget of 12.0 MB");
        assertThat(api.get("/api/v1/runs?name=huge").json().get("totalElements").asInt()).isZero();
    }
}
