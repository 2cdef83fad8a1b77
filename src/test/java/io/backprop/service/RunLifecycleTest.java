package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Runs through the executor: accuracy, concurrency, cancellation, idempotency and dry runs. */
class RunLifecycleTest extends ServiceTestBase {

    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "QUEUED", Set.of("RUNNING", "CANCELLED", "FAILED"),
            "RUNNING", Set.of("SUCCEEDED", "FAILED", "CANCELLED", "QUEUED"));



    private JsonNode awaitStatus(String runId, Set<String> statuses, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(100))
                .until(() -> statuses.contains(api.get("/api/v1/runs/" + runId).json().get("status").asString()));
        return api.get("/api/v1/runs/" + runId).json();
    }

    @Test
    void builtinDigitsReaches97PercentValidationAccuracy() {
        Map<String, Object> spec = Specs.run(Specs.builtin("digits"), List.of(128), 10, "cross_entropy", "softmax",
                Map.of("type", "adam", "learningRate", 0.001),
                Map.of("epochs", 40, "batchSize", 32, "seed", 42, "validationSplit", 0.2, "standardize", true));
        String runId = api.postJson("/api/v1/runs", spec).json().get("id").asString();

        JsonNode run = awaitStatus(runId, Set.of("SUCCEEDED", "FAILED"), Duration.ofSeconds(120));

        assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(run.get("metrics").get("valAccuracy").asDouble()).isGreaterThanOrEqualTo(0.97);
    }

    @Test
    void eightConcurrentRunsOnTwoWorkersAllFinishWithCompleteHistories() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Map<String, Object> spec = Specs.with(Specs.classifier(Specs.builtin("wine"), 3, 15, 8), "name", "wine-" + i);
            Api.Response r = api.postJson("/api/v1/runs", spec);
            assertThat(r.status()).isEqualTo(202);
            ids.add(r.json().get("id").asString());
        }
        for (String id : ids) {
            JsonNode run = awaitStatus(id, Set.of("SUCCEEDED", "FAILED", "CANCELLED"), Duration.ofSeconds(120));
            assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");
            JsonNode history = run.get("statusHistory");
            assertThat(history.get(0).get("status").asString()).isEqualTo("QUEUED");
            for (int i = 1; i < history.size(); i++) {
                String from = history.get(i - 1).get("status").asString();
                String to = history.get(i).get("status").asString();
                assertThat(ALLOWED.getOrDefault(from, Set.of())).as("%s -> %s", from, to).contains(to);
            }
            JsonNode epochs = api.get("/api/v1/runs/" + id + "/metrics").json();
            assertThat(epochs.size()).isEqualTo(15);
            for (int e = 0; e < 15; e++) {
                assertThat(epochs.get(e).get("epoch").asInt()).isEqualTo(e + 1);
            }
        }
        JsonNode listed = api.get("/api/v1/runs?name=wine-3").json();
        assertThat(listed.get("totalElements").asInt()).isEqualTo(1);
    }

    @Test
    void cancellingARunningRunStopsItAndKeepsItsMetrics() {
        Map<String, Object> spec = Specs.run(Map.of("generator", Map.of("type", "classification", "rows", 20000,
                        "features", 64, "classes", 4, "seed", 1)), List.of(64), 4, "cross_entropy", "softmax",
                Map.of("type", "sgd", "learningRate", 0.01), Map.of("epochs", 500, "batchSize", 8, "seed", 1));
        String runId = api.postJson("/api/v1/runs", spec).json().get("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                api.get("/api/v1/runs/" + runId + "/metrics").json().size() >= 1);

        Api.Response cancel = api.post("/api/v1/runs/" + runId + "/cancel", null, new byte[0]);
        assertThat(cancel.status()).isEqualTo(202);
        JsonNode run = awaitStatus(runId, Set.of("CANCELLED", "SUCCEEDED", "FAILED"), Duration.ofSeconds(10));

        assertThat(run.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(run.get("statusHistory").get(run.get("statusHistory").size() - 1).get("reason").asString())
                .startsWith("cancelled at epoch");
        assertThat(api.get("/api/v1/runs/" + runId + "/metrics").json().size()).isBetween(1, 499);
        assertThat(api.post("/api/v1/runs/" + runId + "/cancel", null, new byte[0]).status()).isEqualTo(409);
        assertThat(api.delete("/api/v1/runs/" + runId).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/runs/" + runId).status()).isEqualTo(404);
    }

    @Test
    void retriedSubmissionWithTheSameIdempotencyKeyReturnsTheSameRun() {
        String name = "idempotent-" + java.util.UUID.randomUUID();
        byte[] body = Api.JSON.writeValueAsBytes(Specs.with(Specs.classifier(Specs.builtin("iris"), 3, 2, 16), "name", name));
        Api.Response first = api.post("/api/v1/runs", "application/json", body, "Idempotency-Key", "key-1");
        Api.Response second = api.post("/api/v1/runs", "application/json", body, "Idempotency-Key", "key-1");
        byte[] other = Api.JSON.writeValueAsBytes(Specs.with(Specs.classifier(Specs.builtin("iris"), 3, 3, 16), "name", name));
        Api.Response conflicting = api.post("/api/v1/runs", "application/json", other, "Idempotency-Key", "key-1");

        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(202);
        assertThat(second.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
        assertThat(conflicting.status()).isEqualTo(422);
        assertThat(conflicting.contentType()).startsWith("application/problem+json");
        assertThat(api.get("/api/v1/runs?name=" + name).json().get("totalElements").asInt()).isEqualTo(1);
    }

    @Test
    void dryRunResolvesEveryDefaultAndStartsNothing() {
        long before = api.get("/api/v1/runs").json().get("totalElements").asLong();
        Map<String, Object> spec = Map.of("dataset", Specs.builtin("iris"),
                "model", Map.of("layers", List.of(Map.of("units", 8, "activation", "tanh"),
                        Map.of("units", 3, "activation", "softmax")), "loss", "cross_entropy"),
                "optimizer", Map.of("type", "adam", "learningRate", 0.01));

        Api.Response r = api.postJson("/api/v1/runs?dryRun=true", spec);

        assertThat(r.status()).isEqualTo(200);
        JsonNode resolved = r.json();
        assertThat(resolved.get("name").asString()).isEqualTo("iris-mlp");
        assertThat(resolved.get("model").get("init").asString()).isEqualTo("xavier_uniform");
        assertThat(resolved.get("optimizer").get("beta1").asDouble()).isEqualTo(0.9);
        assertThat(resolved.get("optimizer").get("epsilon").asDouble()).isEqualTo(1e-8);
        assertThat(resolved.get("training").get("epochs").asInt()).isEqualTo(10);
        assertThat(resolved.get("training").get("batchSize").asInt()).isEqualTo(32);
        assertThat(resolved.get("training").get("seed").isNumber()).isTrue();
        assertThat(api.get("/api/v1/runs").json().get("totalElements").asLong()).isEqualTo(before);
    }

    @Test
    void runsAreListedNewestFirstAndFilteredByStatusAndTag() {
        Map<String, Object> a = Specs.with(Specs.classifier(Specs.builtin("iris"), 3, 1, 16), "tags", Map.of("team", "red"));
        Map<String, Object> b = Specs.with(Specs.classifier(Specs.builtin("iris"), 3, 1, 16), "tags", Map.of("team", "blue"));
        String first = api.postJson("/api/v1/runs", a).json().get("id").asString();
        String second = api.postJson("/api/v1/runs", b).json().get("id").asString();
        awaitStatus(first, Set.of("SUCCEEDED"), Duration.ofSeconds(30));
        awaitStatus(second, Set.of("SUCCEEDED"), Duration.ofSeconds(30));

        JsonNode red = api.get("/api/v1/runs?tag=team:red").json().get("content");
        assertThat(red.size()).isEqualTo(1);
        assertThat(red.get(0).get("id").asString()).isEqualTo(first);
        JsonNode succeeded = api.get("/api/v1/runs?status=SUCCEEDED&size=500").json().get("content");
        List<String> order = new ArrayList<>();
        succeeded.forEach(n -> order.add(n.get("id").asString()));
        assertThat(order.indexOf(second)).isLessThan(order.indexOf(first));
    }
}
