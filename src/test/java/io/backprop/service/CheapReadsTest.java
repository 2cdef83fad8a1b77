package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Pollers get 304s while nothing changed; large prediction batches go in as raw float32. */
class CheapReadsTest extends ServiceTestBase {

    @Test
    void statusAndHistoryAnswer304UntilTheRunChanges() {
        String run = api.postJson("/api/v1/runs", Runs.longRun("polled", 100000)).json().get("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/runs/" + run + "/metrics").json().size() >= 1);
        for (String path : List.of("/api/v1/runs/" + run, "/api/v1/runs/" + run + "/metrics")) {
            Api.Response first = api.get(path);
            String etag = first.header("ETag");
            assertThat(etag).as(path).startsWith("W/\"");
            // while it trains, the validator changes with every flush of progress
            await().atMost(Duration.ofSeconds(10)).until(() -> !etag.equals(api.get(path).header("ETag")));
        }
        api.post("/api/v1/runs/" + run + "/cancel", null, new byte[0]);
        await().atMost(Duration.ofSeconds(10)).until(() -> Runs.status(api, run).equals("CANCELLED"));
        for (String path : List.of("/api/v1/runs/" + run, "/api/v1/runs/" + run + "/metrics",
                "/api/v1/runs/" + run + "/metrics?granularity=step&points=50")) {
            String etag = api.get(path).header("ETag");
            Api.Response again = api.send("GET", path, "If-None-Match", etag);
            assertThat(again.status()).as(path).isEqualTo(304);
            assertThat(again.body()).isEmpty();
            assertThat(api.send("GET", path, "If-None-Match", "W/\"stale\"").status()).isEqualTo(200);
            // a cache asks with every tag it holds, or with any
            assertThat(api.send("GET", path, "If-None-Match", "W/\"stale\", " + etag).status()).as(path).isEqualTo(304);
            assertThat(api.send("GET", path, "If-None-Match", "*").status()).as(path).isEqualTo(304);
            assertThat(api.send("GET", path, "If-None-Match", "\"".repeat(5000)).status()).as(path).isEqualTo(200);
        }
        // a query that is refused without a validator is refused with one too, not answered 304
        String etag = api.get("/api/v1/runs/" + run + "/metrics").header("ETag");
        for (String query : List.of("granularity=step&limit=1000000000", "granularity=step&points=2",
                "granularity=hour")) {
            Api.Response refused = api.send("GET", "/api/v1/runs/" + run + "/metrics?" + query, "If-None-Match", etag);
            assertThat(refused.status()).as(query).isEqualTo(422);
        }
    }

    @Test
    void float32RowsPredictAsTheirJsonDoesAndMalformedBodiesAndOverflowingRowsAreRefused() {
        String run = api.postJson("/api/v1/runs", Specs.classifier(Specs.builtin("iris"), 3, 5, 16)).json().get("id").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> Runs.status(api, run).equals("SUCCEEDED"));
        float[][] rows = {{5.1f, 3.5f, 1.4f, 0.2f}, {6.7f, 3.0f, 5.2f, 2.3f}, {5.9f, 3.0f, 4.2f, 1.5f}};
        ByteBuffer body = ByteBuffer.allocate(4 * 12).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : rows) {
            for (float v : row) {
                body.putFloat(v);
            }
        }
        Api.Response binary = api.post("/api/v1/runs/" + run + "/predictions", "application/octet-stream", body.array());
        assertThat(binary.status()).as(binary.text()).isEqualTo(200);
        JsonNode json = api.postJson("/api/v1/runs/" + run + "/predictions", Map.of("inputs", rows)).json();
        assertThat(binary.json()).isEqualTo(json);

        Api.Response ragged = api.post("/api/v1/runs/" + run + "/predictions", "application/octet-stream", new byte[20]);
        assertThat(ragged.status()).isEqualTo(422);
        assertThat(ragged.text()).contains("whole rows of 4 float32 values");
        ByteBuffer nan = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(Float.NaN).putFloat(1).putFloat(1);
        assertThat(api.post("/api/v1/runs/" + run + "/predictions", "application/octet-stream", nan.array()).status())
                .isEqualTo(422);
        // finite, but so far from the training data that the outputs overflow: no NaN goes out as a prediction
        Api.Response overflow = api.postJson("/api/v1/runs/" + run + "/predictions",
                Map.of("inputs", List.of(rows[0], new float[] {3e38f, 3e38f, 3e38f, 3e38f})));
        Problems.assertProblem(overflow, 422, "overflowing row");
        assertThat(overflow.json().get("errors").get(0).get("field").asString()).isEqualTo("$.inputs[1]");
        assertThat(overflow.json().get("errors")).hasSize(1);
    }
}
