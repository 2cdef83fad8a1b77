package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Class ordering, other CSV delimiters, multi-label classification and multi-output regression, end to end. */
class LabelsTest extends ServiceTestBase {

    @Test
    void numericClassesAreSortedNumericallyAndTextClassesAlphabetically() {
        JsonNode numeric = api.upload("/api/v1/datasets", "n.csv",
                "x,label\n1,10\n2,9\n3,2\n4,10\n".getBytes(StandardCharsets.UTF_8)).json();
        assertThat(numeric.get("classes").toString()).isEqualTo("[\"2\",\"9\",\"10\"]");
        assertThat(numeric.get("task").asString()).isEqualTo("classification");
        JsonNode text = api.postJson("/api/v1/datasets", Map.of("name", "t", "features", List.of(List.of(1), List.of(2),
                List.of(3)), "labels", List.of("pear", "apple", "fig"))).json();
        assertThat(text.get("classes").toString()).isEqualTo("[\"apple\",\"fig\",\"pear\"]");
        JsonNode regression = api.upload("/api/v1/datasets", "r.csv",
                "x,y\n1,0.5\n2,1.5\n3,2.25\n".getBytes(StandardCharsets.UTF_8)).json();
        assertThat(regression.get("task").asString()).isEqualTo("regression");
        assertThat(regression.get("classes").size()).isZero();
    }

    @Test
    void aSemicolonOrTabSeparatedUploadIsReadWithTheDelimiterItNames() {
        for (String delimiter : List.of(";", "tab")) {
            String d = delimiter.equals("tab") ? "\t" : delimiter;
            String csv = String.join(d, "x", "kind") + "\n" + String.join(d, "1.5", "cat") + "\n" + String.join(d, "2", "dog") + "\n";
            Api.Response r = api.upload("/api/v1/datasets", "e.csv", csv.getBytes(StandardCharsets.UTF_8), "delimiter", delimiter);
            assertThat(r.status()).as(r.text()).isEqualTo(201);
            assertThat(r.json().get("featureNames").toString()).isEqualTo("[\"x\"]");
            assertThat(r.json().get("classes").toString()).isEqualTo("[\"cat\",\"dog\"]");
        }
    }

    @Test
    void multiLabelClassificationTrainsOneSigmoidPerLabelColumn() {
        JsonNode dataset = api.postJson("/api/v1/datasets", Specs.quadrants()).json();
        assertThat(dataset.get("task").asString()).isEqualTo("classification");
        assertThat(dataset.get("classes").toString()).isEqualTo("[\"label0\",\"label1\"]");
        Map<String, Object> spec = Specs.run(Map.of("id", dataset.get("id").asString()), List.of(16), 2,
                "binary_cross_entropy", "sigmoid", Map.of("type", "adam", "learningRate", 0.05),
                Map.of("epochs", 60, "batchSize", 20, "seed", 2));
        String runId = api.postJson("/api/v1/runs", spec).json().get("id").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> Runs.status(api, runId).equals("SUCCEEDED"));

        JsonNode predicted = api.postJson("/api/v1/runs/" + runId + "/predictions",
                Map.of("inputs", List.of(List.of(0.8, 0.8), List.of(-0.8, 0.8), List.of(-0.8, -0.8)))).json();
        assertThat(predicted.get("labels").toString()).isEqualTo("[[\"label0\",\"label1\"],[\"label1\"],[]]");
        assertThat(predicted.get("outputs").get(0).size()).isEqualTo(2);
    }

    @Test
    void multiOutputRegressionPredictsEveryLabelColumn() {
        StringBuilder csv = new StringBuilder("x1,x2,sum,diff\n");
        for (int i = 0; i < 300; i++) {
            double a = (i % 17) / 17.0;
            double b = (i % 13) / 13.0;
            csv.append(a).append(',').append(b).append(',').append(a + b).append(',').append(a - b).append('\n');
        }
        JsonNode dataset = api.upload("/api/v1/datasets", "sums.csv", csv.toString().getBytes(StandardCharsets.UTF_8),
                "label", "sum,diff").json();
        assertThat(dataset.get("labelNames").toString()).isEqualTo("[\"sum\",\"diff\"]");
        assertThat(dataset.get("task").asString()).isEqualTo("regression");
        Map<String, Object> spec = Specs.run(Map.of("id", dataset.get("id").asString()), List.of(16), 2, "mse",
                "linear", Map.of("type", "adam", "learningRate", 0.01),
                Map.of("epochs", 150, "batchSize", 30, "seed", 4));
        String runId = api.postJson("/api/v1/runs", spec).json().get("id").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> Runs.status(api, runId).equals("SUCCEEDED"));

        JsonNode predicted = api.postJson("/api/v1/runs/" + runId + "/predictions",
                Map.of("inputs", List.of(List.of(0.5, 0.25)))).json();
        assertThat(predicted.get("outputs").get(0).get(0).asDouble()).isCloseTo(0.75, org.assertj.core.data.Offset.offset(0.1));
        assertThat(predicted.get("outputs").get(0).get(1).asDouble()).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.1));
        assertThat(predicted.get("labels").isNull()).isTrue();
    }
}
