package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The published OpenAPI document covers every endpoint with its status codes and examples. */
class OpenApiTest extends ServiceTestBase {

    @Test
    void everyOperationHasASuccessExampleAndProblemResponses() {
        JsonNode doc = api.get("/v3/api-docs").json();
        assertThat(doc.get("openapi").asString()).startsWith("3.");
        int operations = 0;
        for (var path : doc.get("paths").properties()) {
            for (var op : path.getValue().properties()) {
                operations++;
                String where = op.getKey().toUpperCase() + " " + path.getKey();
                JsonNode responses = op.getValue().get("responses");
                var success = responses.properties().stream().filter(r -> r.getKey().startsWith("2")).findFirst();
                assertThat(success).as(where).isPresent();
                if (!success.get().getKey().equals("204")) {
                    assertThat(success.get().getValue().toString()).as(where).contains("\"example\"");
                }
                assertThat(responses.properties().stream().anyMatch(r -> r.getKey().startsWith("4"))).as(where).isTrue();
                JsonNode body = op.getValue().get("requestBody");
                if (body != null && body.get("content").has("application/json")) {
                    assertThat(body.get("content").get("application/json").has("example")).as(where).isTrue();
                }
            }
        }
        assertThat(operations).isEqualTo(13);
        assertThat(doc.get("components").get("schemas").has("RunSpec")).isTrue();
        assertThat(api.get("/swagger-ui/index.html").status()).isEqualTo(200);
    }
}
