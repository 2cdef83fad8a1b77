package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The published OpenAPI document covers every endpoint with its status codes and examples. */
class OpenApiTest extends ServiceTestBase {

    /** Redocly's finding that is the test's own doing: springdoc names the random localhost port as the server. */
    private static final List<String> ACCEPTED = List.of("no-server-example.com");

    /**
     * Redocly CLI's recommended rules (installed from .ci/package-lock.json by .ci/run). Without it the
     * test is skipped, unless {@code BACKPROP_REQUIRE_NODE_TOOLS=true} (CI sets it) makes that a failure.
     */
    @Test
    void documentPassesRedoclyRecommendedRules() throws Exception {
        Path redocly = Path.of(".ci", "node_modules", "@redocly", "cli", "bin", "cli.js");
        if (!Files.exists(redocly)) {
            String why = "Redocly CLI is not installed (npm ci --prefix .ci)";
            if (Boolean.parseBoolean(System.getenv("BACKPROP_REQUIRE_NODE_TOOLS"))) {
                Assertions.fail(why + "; BACKPROP_REQUIRE_NODE_TOOLS=true makes this a failure");
            }
            Assumptions.abort(why);
        }
        Path doc = Path.of("target", "openapi.json");
        Files.write(doc, api.get("/v3/api-docs").body());
        Path report = Path.of("target", "redocly-lint.json");
        ProcessBuilder lint = new ProcessBuilder("node", redocly.toString(), "lint", "--format=json", doc.toString())
                .redirectOutput(report.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).directory(new File("."));
        lint.environment().put("REDOCLY_TELEMETRY", "off");
        lint.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        Process process = lint.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the linter finished").isTrue();
        List<String> problems = new ArrayList<>();
        for (JsonNode problem : Api.JSON.readTree(report.toFile()).get("problems")) {
            String rule = problem.get("ruleId").asString();
            if (!ACCEPTED.contains(rule)) {
                problems.add(rule + " at " + problem.get("location").get(0).get("pointer").asString() + ": "
                        + problem.get("message").asString());
            }
        }
        assertThat(problems).as("Redocly findings").isEmpty();
    }

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
        assertThat(operations).isEqualTo(27);
        assertThat(doc.get("components").get("schemas").has("RunSpec")).isTrue();
        assertThat(api.get("/swagger-ui/index.html").status()).isEqualTo(200);
    }
}
