package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Studies over real HTTP: grids, seeded random searches, successive halving on digits, validation. */
class StudyTest extends ServiceTestBase {

    private static Map<String, Object> base(String dataset, int epochs) {
        return Map.of("dataset", Map.of("builtin", dataset),
                "model", Map.of("layers", List.of(Map.of("units", 16, "activation", "relu"),
                        Map.of("units", "iris".equals(dataset) ? 3 : 10, "activation", "softmax")), "loss", "cross_entropy"),
                "optimizer", Map.of("type", "adam", "learningRate", 0.01),
                "training", Map.of("epochs", epochs, "batchSize", 32, "seed", 5, "validationSplit", 0.2));
    }

    private JsonNode finished(Map<String, Object> request) {
        Api.Response created = api.postJson("/api/v1/studies", request);
        assertThat(created.status()).as(created.text()).isEqualTo(202);
        assertThat(created.header("Location")).startsWith("/api/v1/studies/");
        String id = created.json().get("id").asString();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                .until(() -> !api.get("/api/v1/studies/" + id).json().get("status").asString().equals("RUNNING"));
        return api.get("/api/v1/studies/" + id).json();
    }

    private static List<String> params(JsonNode study) {
        List<String> all = new ArrayList<>();
        study.get("trials").forEach(t -> all.add(t.get("params").toString()));
        return all;
    }

    @Test
    void aTwoByTwoGridRunsExactlyItsFourCombinationsAsOrdinaryRuns() {
        Map<String, Object> space = new LinkedHashMap<>();
        space.put("optimizer.learningRate", Map.of("values", List.of(0.01, 0.05)));
        space.put("model.layers[0].units", Map.of("values", List.of(8, 16)));
        JsonNode study = finished(Map.of("name", "grid", "base", base("iris", 3), "space", space,
                "strategy", Map.of("type", "grid", "maxConcurrent", 2)));
        assertThat(study.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(new HashSet<>(params(study))).containsExactlyInAnyOrder(
                "{\"optimizer.learningRate\":0.01,\"model.layers[0].units\":8}",
                "{\"optimizer.learningRate\":0.01,\"model.layers[0].units\":16}",
                "{\"optimizer.learningRate\":0.05,\"model.layers[0].units\":8}",
                "{\"optimizer.learningRate\":0.05,\"model.layers[0].units\":16}");
        JsonNode runs = api.get("/api/v1/runs?tag=study:" + study.get("id").asString()).json();
        assertThat(runs.get("totalElements").asLong()).isEqualTo(4);
        for (JsonNode t : study.get("trials")) {
            assertThat(t.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(t.get("epochs").asInt()).isEqualTo(3);
            JsonNode run = api.get("/api/v1/runs/" + t.get("runId").asString()).json();
            assertThat(run.get("spec").get("model").get("layers").get(0).get("units").asInt())
                    .isEqualTo(t.get("params").get("model.layers[0].units").asInt());
        }
        JsonNode leaderboard = api.get("/api/v1/studies/" + study.get("id").asString() + "/leaderboard").json();
        assertThat(leaderboard.get(0).get("runId")).isEqualTo(study.get("best").get("runId"));
        for (int i = 1; i < leaderboard.size(); i++) {
            assertThat(leaderboard.get(i).get("objective").asDouble()).isGreaterThanOrEqualTo(leaderboard.get(i - 1).get("objective").asDouble());
        }
        String csv = api.get("/api/v1/studies/" + study.get("id").asString() + "/leaderboard", "text/csv").text();
        assertThat(csv.lines().count()).isEqualTo(5);
        assertThat(csv).startsWith("rank,position,runId,status,epochs,objective,optimizer.learningRate,model.layers[0].units");
    }

    @Test
    void aSeededRandomStudyDrawsTheSameTrialsAgain() {
        Map<String, Object> request = Map.of("base", base("iris", 1), "space",
                Map.of("optimizer.learningRate", Map.of("logUniform", List.of(1e-4, 1e-1)),
                        "model.layers[0].units", Map.of("intUniform", List.of(4, 64))),
                "strategy", Map.of("type", "random", "maxTrials", 4, "seed", 42));
        JsonNode first = finished(request);
        JsonNode second = finished(request);
        assertThat(params(second)).isEqualTo(params(first)).doesNotHaveDuplicates();
        JsonNode other = finished(Map.of("base", base("iris", 1), "space", request.get("space"),
                "strategy", Map.of("type", "random", "maxTrials", 4, "seed", 43)));
        assertThat(params(other)).isNotEqualTo(params(first));
    }

    @Test
    void successiveHalvingOnDigitsTrainsLessThanHalfTheEpochsAndKeepsTheBest() {
        Map<String, Object> space = Map.of("optimizer.learningRate", Map.of("logUniform", List.of(1e-4, 3e-2)),
                "model.layers[0].units", Map.of("values", List.of(8, 32, 64)));
        Map<String, Object> objective = Map.of("metric", "valAccuracy");
        JsonNode asha = finished(Map.of("name", "asha", "base", base("digits", 27), "space", space, "objective", objective,
                "strategy", Map.of("type", "asha", "maxTrials", 12, "seed", 7, "minEpochs", 3, "reductionFactor", 3)));
        JsonNode full = finished(Map.of("name", "full", "base", base("digits", 27), "space", space, "objective", objective,
                "strategy", Map.of("type", "random", "maxTrials", 12, "seed", 7)));
        assertThat(params(asha)).as("the same 12 trials").isEqualTo(params(full));
        assertThat(asha.get("rungs").toString()).isEqualTo("[3,9,27]");

        int ashaEpochs = 0;
        int fullEpochs = 0;
        int pruned = 0;
        for (int i = 0; i < 12; i++) {
            ashaEpochs += asha.get("trials").get(i).get("epochs").asInt();
            fullEpochs += full.get("trials").get(i).get("epochs").asInt();
            pruned += asha.get("trials").get(i).get("status").asString().equals("PRUNED") ? 1 : 0;
        }
        System.out.printf("successive halving trained %d epochs, the full trials %d; best %.4f vs %.4f%n", ashaEpochs,
                fullEpochs, asha.get("best").get("objective").asDouble(), full.get("best").get("objective").asDouble());
        assertThat(fullEpochs).isEqualTo(12 * 27);
        assertThat(ashaEpochs).isLessThan(fullEpochs / 2);
        assertThat(pruned).as("12 -> 4 -> 1").isEqualTo(11);

        // at each rung, every pruned trial was worse there than every promoted one
        for (int rung : new int[] {3, 9}) {
            List<Double> kept = new ArrayList<>();
            List<Double> cut = new ArrayList<>();
            for (JsonNode t : asha.get("trials")) {
                int epochs = t.get("epochs").asInt();
                if (epochs < rung) {
                    continue;
                }
                double best = 0;
                JsonNode rows = api.get("/api/v1/runs/" + t.get("runId").asString() + "/metrics").json();
                for (int e = 0; e < rung; e++) {
                    best = Math.max(best, rows.get(e).get("valAccuracy").asDouble());
                }
                (epochs == rung ? cut : kept).add(best);
            }
            assertThat(Math.max(0, cut.stream().mapToDouble(d -> d).max().orElse(0)))
                    .as("rung of %d epochs", rung).isLessThanOrEqualTo(kept.stream().mapToDouble(d -> d).min().orElseThrow());
        }
        assertThat(asha.get("best").get("objective").asDouble())
                .isGreaterThanOrEqualTo(full.get("best").get("objective").asDouble() - 0.005);
        String scrape = api.get("/actuator/prometheus").text();
        double prunedTotal = scrape.lines().filter(l -> l.startsWith("backprop_trials_pruned_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertThat(prunedTotal).isGreaterThanOrEqualTo(11);
        assertThat(scrape).containsPattern("backprop_studies\\{[^}]*status=\"succeeded\"[^}]*} [1-9]");
    }

    @Test
    void aBadDomainOrABadTrialSpecOrAValueOfTheWrongKindIsRefusedWithItsPathAndNothingIsStored() {
        String tenant = api.postJson("/api/v1/tenants", Map.of("name", "studies-422")).json().get("id").asString();
        Api member = api.as(api.postJson("/api/v1/tenants/" + tenant + "/keys", Map.of("name", "m", "role", "member"))
                .json().get("key").asString());
        Api.Response domain = member.postJson("/api/v1/studies", Map.of("base", base("iris", 1),
                "space", Map.of("optimizer.learningRate", Map.of("logUniform", List.of(0, 1))),
                "strategy", Map.of("type", "random", "maxTrials", 2)));
        assertThat(domain.status()).isEqualTo(422);
        assertThat(domain.text()).contains("$.space['optimizer.learningRate'].logUniform");
        Api.Response trial = member.postJson("/api/v1/studies", Map.of("base", base("iris", 1),
                "space", Map.of("optimizer.learningRate", Map.of("values", List.of(0.01, -1))),
                "strategy", Map.of("type", "grid")));
        assertThat(trial.status()).isEqualTo(422);
        assertThat(trial.text()).contains("$.space['optimizer.learningRate']").contains("trial 1");
        Api.Response path = member.postJson("/api/v1/studies", Map.of("base", base("iris", 1),
                "space", Map.of("model.layers[5].units", Map.of("values", List.of(8))), "strategy", Map.of("type", "grid")));
        assertThat(path.status()).isEqualTo(422);
        // a domain whose values do not fit the field: a continuous draw for a layer's width, a fraction of an epoch
        for (var space : List.of(Map.of("model.layers[0].units", Map.of("uniform", List.of(4, 16))),
                Map.of("training.epochs", Map.of("values", List.of(1.5))))) {
            Api.Response kind = member.postJson("/api/v1/studies", Map.of("base", base("iris", 1), "space", space,
                    "strategy", Map.of("type", "random", "maxTrials", 2)));
            Problems.assertProblem(kind, 422, space.toString());
            assertThat(kind.json().get("errors").get(0).get("field").asString())
                    .isEqualTo("$.space['" + space.keySet().iterator().next() + "']");
            assertThat(kind.json().get("errors").get(0).get("message").asString()).contains("is not an integer; intUniform draws integers");
        }
        assertThat(member.get("/api/v1/studies").json().get("totalElements").asLong()).isZero();
        assertThat(member.get("/api/v1/runs").json().get("totalElements").asLong()).isZero();
    }

    @Test
    void aCancelledStudyStopsItsTrials() {
        JsonNode created = api.postJson("/api/v1/studies", Map.of("base", Runs.longRun("study-long", 100000),
                "space", Map.of("optimizer.learningRate", Map.of("values", List.of(0.01, 0.02, 0.03))),
                "strategy", Map.of("type", "grid", "maxConcurrent", 1))).json();
        String id = created.get("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                api.get("/api/v1/studies/" + id).json().get("trials").get(0).get("status").asString().equals("RUNNING"));
        assertThat(api.post("/api/v1/studies/" + id + "/cancel", null, new byte[0]).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode s = api.get("/api/v1/studies/" + id).json();
            Set<String> statuses = new HashSet<>();
            s.get("trials").forEach(t -> statuses.add(t.get("status").asString()));
            return s.get("status").asString().equals("CANCELLED") && statuses.equals(Set.of("CANCELLED", "QUEUED"));
        });
        JsonNode s = api.get("/api/v1/studies/" + id).json();
        assertThat(s.get("trials").get(1).get("runId").isNull()).as("never started").isTrue();
    }
}
