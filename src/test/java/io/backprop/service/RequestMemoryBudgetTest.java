package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Requests priced against the heap they may hold ({@code backprop.request-memory-budget}, here 4 MB): one
 * that would need more is a 413 naming the budget before it allocates it, and stores nothing; one that
 * fits is served as before.
 */
@TestPropertySource(properties = "backprop.request-memory-budget=4MB")
class RequestMemoryBudgetTest extends ServiceTestBase {

    private static final long BUDGET = 4L << 20;

    private static String jsonDataset(int rows) {
        return "{\"name\":\"d" + rows + "\",\"features\":[" + IntStream.range(0, rows).mapToObj(i -> "[" + (i % 7) + ",1]")
                .collect(Collectors.joining(",")) + "],\"labels\":[" + IntStream.range(0, rows)
                .mapToObj(i -> Integer.toString(i % 2)).collect(Collectors.joining(",")) + "]}";
    }

    @Test
    void aDatasetWhoseValuesWouldOutgrowTheBudgetIs413AndStoresNothing() {
        long before = api.get("/api/v1/datasets").json().get("totalElements").asLong();
        // 400,000 rows: 3.2 MB of features as floats, beside the 2.8 MB body it is parsed from
        Api.Response large = api.postJson("/api/v1/datasets", jsonDataset(400_000));
        Problems.assertProblem(large, 413, "dataset over the request memory");
        assertThat(large.json().get("limit").asLong()).isEqualTo(BUDGET);
        assertThat(large.json().get("detail").asString()).contains("backprop.request-memory-budget");
        assertThat(api.get("/api/v1/datasets").json().get("totalElements").asLong()).isEqualTo(before);

        assertThat(api.postJson("/api/v1/datasets", jsonDataset(1_000)).status()).isEqualTo(201);
    }

    @Test
    void rawPredictionRowsBeyondTheBudgetAre413BeforeTheyAreRead() {
        String run = api.postJson("/api/v1/runs", Specs.classifier(Specs.builtin("iris"), 3, 2, 16)).json().get("id").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> Runs.status(api, run).equals("SUCCEEDED"));
        String path = "/api/v1/runs/" + run + "/predictions";
        // 2.5 MB of float32 rows: the body and its floats together are more than 4 MB
        Api.Response large = api.post(path, "application/octet-stream", new byte[2_500_000]);
        Problems.assertProblem(large, 413, "raw rows over the request memory");
        assertThat(api.post(path, "application/octet-stream", new byte[16 * 100]).status()).isEqualTo(200);
        assertThat(api.postJson(path, Map.of("inputs", new float[][] {{5.1f, 3.5f, 1.4f, 0.2f}})).status()).isEqualTo(200);
    }
}
