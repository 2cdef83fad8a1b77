package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** What tests read and assert of runs over the API. */
final class Runs {

    private Runs() {
    }

    /** Long enough that the instance is killed well before the run ends. */
    static final int LONG_RUN_EPOCHS = 40;

    static Map<String, Object> longRun(String name) {
        return longRun(name, LONG_RUN_EPOCHS);
    }

    static Map<String, Object> longRun(String name, int epochs) {
        return Specs.with(Specs.run(Map.of("generator", Map.of("type", "classification", "rows", 6000,
                        "features", 32, "classes", 4, "seed", 5)), List.of(32), 4, "cross_entropy", "softmax",
                Map.of("type", "sgd", "learningRate", 0.01, "momentum", 0.9),
                Map.of("epochs", epochs, "batchSize", 4, "seed", 9, "validationSplit", 0.1)), "name", name);
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
