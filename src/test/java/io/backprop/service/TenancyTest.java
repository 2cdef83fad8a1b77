package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Keys, tenants, roles and isolation over real HTTP: every API operation of the published document
 * asks for a key, another tenant's resources answer exactly as unknown ones, viewers only read.
 */
@ExtendWith(OutputCaptureExtension.class)
class TenancyTest extends ServiceTestBase {

    @Autowired
    JdbcTemplate jdbc;

    /** A new tenant (unique name) with the given quotas; returns its id. */
    private String tenant(Map<String, Object> quotas) {
        Api.Response r = api.postJson("/api/v1/tenants", Map.of("name", "t-" + UUID.randomUUID().toString().substring(0, 8),
                "quotas", quotas));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.json().get("id").asString();
    }

    private String key(String tenantId, String role, Instant expiresAt) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("name", role + "-key", "role", role));
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt.toString());
        }
        Api.Response r = api.postJson("/api/v1/tenants/" + tenantId + "/keys", body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.json().get("key").asString();
    }

    /** Every operation of /v3/api-docs under /api, with its path's ids filled in from {@code ids}. */
    private List<String[]> apiOperations(Map<String, String> ids) {
        List<String[]> operations = new ArrayList<>();
        JsonNode doc = api.as(null).get("/v3/api-docs").json();
        for (var path : doc.get("paths").properties()) {
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            String concrete = path.getKey();
            for (var id : ids.entrySet()) {
                if (concrete.startsWith(id.getKey())) {
                    concrete = concrete.replaceAll("\\{[A-Za-z]+}", id.getValue());
                }
            }
            concrete = concrete.replaceAll("\\{[A-Za-z]+}", UUID.randomUUID().toString());
            for (var op : path.getValue().properties()) {
                operations.add(new String[] {op.getKey().toUpperCase(), concrete});
            }
        }
        return operations;
    }

    private static void assertUnauthorized(Api.Response r, String where) {
        Problems.assertProblem(r, 401, where);
        assertThat(r.header("WWW-Authenticate")).as(where).startsWith("Bearer");
    }

    @Test
    void everyApiOperationAsksForAKeyAndRefusesBadRevokedAndExpiredOnes() {
        String tenant = tenant(Map.of());
        String revoked = key(tenant, "member", null);
        String revokedId = api.get("/api/v1/tenants/" + tenant + "/keys").json().get(0).get("id").asString();
        assertThat(api.as(revoked).get("/api/v1/runs").status()).isEqualTo(200);
        assertThat(api.delete("/api/v1/keys/" + revokedId).status()).isEqualTo(204);
        String expiring = key(tenant, "member", Instant.now().plusSeconds(2));
        assertThat(api.as(expiring).get("/api/v1/runs").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> api.as(expiring).get("/api/v1/runs").status() == 401);

        List<String[]> operations = apiOperations(Map.of());
        assertThat(operations).hasSizeGreaterThanOrEqualTo(20);
        for (String[] op : operations) {
            String where = op[0] + " " + op[1];
            assertUnauthorized(api.as(null).send(op[0], op[1]), where + " without a key");
            assertUnauthorized(api.as("bp_000000000000_" + "x".repeat(43)).send(op[0], op[1]), where + " with an unknown key");
            assertUnauthorized(api.as(revoked).send(op[0], op[1]), where + " with a revoked key");
            assertUnauthorized(api.as(expiring).send(op[0], op[1]), where + " with an expired key");
        }
    }

    @Test
    void anotherTenantsResourcesAnswerAsUnknownOnesAndListsShowNone() {
        Api a = api.as(key(tenant(Map.of()), "member", null));
        Api b = api.as(key(tenant(Map.of()), "member", null));
        String dataset = a.postJson("/api/v1/datasets", Map.of("name", "xor", "features",
                List.of(List.of(0, 0), List.of(0, 1), List.of(1, 0), List.of(1, 1)), "labels", List.of(0, 1, 1, 0)))
                .json().get("id").asString();
        Api.Response submitted = a.postJson("/api/v1/runs", Specs.classifier(Map.of("id", dataset), 2, 2, 2));
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        String run = submitted.json().get("id").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> Runs.status(a, run).equals("SUCCEEDED"));
        byte[] safetensors = a.get("/api/v1/runs/" + run + "/weights?format=safetensors").body();
        String weights = a.upload("/api/v1/weights", "w.safetensors", safetensors).json().get("weightsId").asString();

        String study = a.postJson("/api/v1/studies", Map.of("base", Specs.classifier(Specs.builtin("iris"), 3, 1, 16),
                "space", Map.of("optimizer.learningRate", Map.of("values", List.of(0.01))), "strategy", Map.of("type", "grid")))
                .json().get("id").asString();

        Map<String, String> ids = Map.of("/api/v1/datasets/", dataset, "/api/v1/runs/", run, "/api/v1/weights/", weights,
                "/api/v1/studies/", study);
        for (String[] op : apiOperations(ids)) {
            String where = op[0] + " " + op[1];
            boolean namesAResource = op[1].contains(dataset) || op[1].contains(run) || op[1].contains(weights)
                    || op[1].contains(study);
            if (!namesAResource || op[1].startsWith("/api/v1/tenants") || op[1].startsWith("/api/v1/keys")) {
                continue;
            }
            Api.Response r = op[1].endsWith("/predictions")
                    ? b.postJson(op[1], Map.of("inputs", List.of(List.of(0, 1))))
                    : b.send(op[0], op[1]);
            assertThat(r.status()).as(where + " by another tenant: " + r.text()).isEqualTo(404);
            assertThat(r.contentType()).as(where).startsWith("application/problem+json");
        }
        assertThat(b.get("/api/v1/runs").json().get("totalElements").asLong()).isZero();
        assertThat(b.get("/api/v1/datasets").json().get("totalElements").asLong()).isZero();
        assertThat(b.get("/api/v1/studies").json().get("totalElements").asLong()).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> a.get("/api/v1/runs").json().get("totalElements").asLong() == 2);

        Map<String, Object> spec = Specs.classifier(Map.of("id", dataset), 2, 1, 2);
        assertThat(b.postJson("/api/v1/runs", spec).text()).contains("$.dataset.id");
        Map<String, Object> fromRun = Specs.with(Specs.classifier(Specs.builtin("iris"), 3, 1, 16), "initialWeights",
                Map.of("runId", run));
        Api.Response warm = b.postJson("/api/v1/runs", fromRun);
        assertThat(warm.status()).isEqualTo(422);
        assertThat(warm.text()).contains("$.initialWeights.runId");
        Api.Response warmUpload = b.postJson("/api/v1/runs", Specs.with(Specs.classifier(Map.of("id", dataset), 2, 1, 2),
                "initialWeights", Map.of("weightsId", weights)));
        assertThat(warmUpload.status()).isEqualTo(422);

        // the same idempotency key in two tenants names two runs
        Map<String, Object> iris = Specs.classifier(Specs.builtin("iris"), 3, 1, 16);
        String keyA = a.post("/api/v1/runs", "application/json", Api.JSON.writeValueAsBytes(iris), "Idempotency-Key", "k1")
                .json().get("id").asString();
        String keyB = b.post("/api/v1/runs", "application/json", Api.JSON.writeValueAsBytes(iris), "Idempotency-Key", "k1")
                .json().get("id").asString();
        assertThat(keyA).isNotEqualTo(keyB);
    }

    @Test
    void aViewerReadsButItsWritesAreForbidden() {
        String tenant = tenant(Map.of());
        Api member = api.as(key(tenant, "member", null));
        Api viewer = api.as(key(tenant, "viewer", null));
        String run = member.postJson("/api/v1/runs", Specs.classifier(Specs.builtin("iris"), 3, 1, 16)).json().get("id").asString();
        assertThat(viewer.get("/api/v1/runs/" + run).status()).isEqualTo(200);
        assertThat(viewer.get("/api/v1/runs").json().get("totalElements").asLong()).isEqualTo(1);
        for (Api.Response write : List.of(
                viewer.postJson("/api/v1/runs", Specs.classifier(Specs.builtin("iris"), 3, 1, 16)),
                viewer.post("/api/v1/runs/" + run + "/cancel", null, new byte[0]),
                viewer.delete("/api/v1/runs/" + run),
                viewer.postJson("/api/v1/datasets", Map.of("name", "x", "features", List.of(List.of(1)), "labels", List.of(1))),
                viewer.postJson("/api/v1/tenants", Map.of("name", "nope")),
                member.postJson("/api/v1/tenants", Map.of("name", "nope")),
                member.get("/api/v1/tenants"))) {
            Problems.assertProblem(write, 403, "a write this key's role may not make");
        }
    }

    @Test
    void quotasAnswer429NamingTheQuotaItsLimitAndTheUse() {
        String tenant = tenant(Map.of("maxQueuedRuns", 1, "maxRunningRuns", 0, "maxStorageBytes", 64));
        Api member = api.as(key(tenant, "member", null));
        assertThat(member.postJson("/api/v1/runs", Specs.classifier(Specs.builtin("iris"), 3, 1, 16)).status()).isEqualTo(202);
        Api.Response second = member.postJson("/api/v1/runs", Specs.classifier(Specs.builtin("iris"), 3, 1, 16));
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.json().get("quota").asString()).isEqualTo("maxQueuedRuns");
        assertThat(second.json().get("limit").asLong()).isEqualTo(1);
        assertThat(second.json().get("used").asLong()).isEqualTo(1);
        assertThat(second.header("Retry-After")).isNotNull();

        List<List<Integer>> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(List.of(i, i + 1));
        }
        Api.Response upload = member.postJson("/api/v1/datasets", Map.of("name", "big", "features", rows,
                "labels", List.of(0, 1, 0, 1, 0, 1, 0, 1, 0, 1)));
        assertThat(upload.status()).as(upload.text()).isEqualTo(429);
        assertThat(upload.json().get("quota").asString()).isEqualTo("maxStorageBytes");
        assertThat(upload.json().get("limit").asLong()).isEqualTo(64);
        assertThat(upload.header("Retry-After")).isNull();
        assertThat(member.get("/api/v1/datasets").json().get("totalElements").asLong()).as("nothing half-stored").isZero();

        JsonNode usage = api.get("/api/v1/tenants/" + tenant + "/usage").json();
        assertThat(usage.get("queuedRuns").asLong()).as("a run over the running quota waits").isEqualTo(1);
        assertThat(usage.get("runningRuns").asLong()).isZero();
        assertThat(usage.get("storageBytes").asLong()).isZero();
    }

    @Test
    void concurrentSubmissionsCannotTogetherPassTheQueuedQuota() throws Exception {
        String tenant = tenant(Map.of("maxQueuedRuns", 3, "maxRunningRuns", 0));
        Api member = api.as(key(tenant, "member", null));
        List<Future<Integer>> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < 12; i++) {
                answers.add(pool.submit(() -> member.postJson("/api/v1/runs",
                        Specs.classifier(Specs.builtin("iris"), 3, 1, 16)).status()));
            }
        } finally {
            pool.shutdown();
        }
        List<Integer> statuses = new ArrayList<>();
        for (var answer : answers) {
            statuses.add(answer.get());
        }
        assertThat(statuses).filteredOn(s -> s == 202).hasSize(3);
        assertThat(statuses).filteredOn(s -> s == 429).hasSize(9);
        assertThat(api.get("/api/v1/tenants/" + tenant + "/usage").json().get("queuedRuns").asLong()).isEqualTo(3);
    }

    @Test
    void aTenantWithOneRunIsServedBeforeAnotherTenantsFourthRun() {
        Api a = api.as(key(tenant(Map.of()), "member", null));
        Api b = api.as(key(tenant(Map.of()), "member", null));
        List<String> aRuns = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            aRuns.add(a.postJson("/api/v1/runs", Runs.longRun("a" + i, 100000)).json().get("id").asString());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> aRuns.stream().filter(id -> Runs.status(a, id).equals("RUNNING")).count() == 2);
        String bRun = b.postJson("/api/v1/runs", Runs.longRun("b0", 100000)).json().get("id").asString();
        String firstRunning = aRuns.stream().filter(id -> Runs.status(a, id).equals("RUNNING")).findFirst().orElseThrow();
        assertThat(a.post("/api/v1/runs/" + firstRunning + "/cancel", null, new byte[0]).status()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(30)).until(() -> Runs.status(b, bRun).equals("RUNNING"));
        long aStarted = aRuns.stream().filter(id -> a.get("/api/v1/runs/" + id).json().get("startedAt").isString()).count();
        assertThat(aStarted).as("A's third run waits while B has none running").isEqualTo(2);
        for (String id : aRuns) {
            a.post("/api/v1/runs/" + id + "/cancel", null, new byte[0]);
        }
        b.post("/api/v1/runs/" + bRun + "/cancel", null, new byte[0]);
        await().atMost(Duration.ofSeconds(30)).until(() -> aRuns.stream().allMatch(id -> Runs.status(a, id).equals("CANCELLED")));
    }

    @Test
    void keysAreStoredAsHashesOnlyAndChangesAreAudited(CapturedOutput output) throws Exception {
        String tenant = tenant(Map.of());
        String key = key(tenant, "member", null);
        List<Map<String, Object>> rows = jdbc.queryForList("select * from api_key");
        assertThat(rows.toString()).doesNotContain(key).doesNotContain(key.substring(16));
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        assertThat(jdbc.queryForObject("select hash from api_key where prefix = ?", String.class, key.substring(0, 15)))
                .isEqualTo(hash);
        JsonNode listed = api.get("/api/v1/tenants/" + tenant + "/keys").json();
        assertThat(listed.toString()).doesNotContain(key.substring(16)).doesNotContain(hash);

        String run = api.as(key).postJson("/api/v1/runs", Specs.classifier(Specs.builtin("iris"), 3, 1, 16)).json().get("id").asString();
        await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains("action=create run=" + run));
        assertThat(output.getAll()).contains("audit tenant=" + tenant);
    }

    @Test
    void metricsNeedAnAdminOrMetricsKeyAndHealthStaysOpen() {
        String tenant = tenant(Map.of());
        assertThat(api.as(null).get("/actuator/health").status()).isEqualTo(200);
        assertThat(api.as(null).get("/actuator/health").text()).doesNotContain("components");
        assertUnauthorized(api.as(null).get("/actuator/prometheus"), "prometheus without a key");
        assertThat(api.as(key(tenant, "member", null)).get("/actuator/prometheus").status()).isEqualTo(403);
        assertThat(api.as(key(tenant, "metrics", null)).get("/actuator/prometheus").status()).isEqualTo(200);
        assertThat(api.as(key(tenant, "metrics", null)).get("/api/v1/runs").status()).isEqualTo(403);
        assertThat(api.get("/actuator/metrics").status()).isEqualTo(200);
    }

    @Test
    void browsersOnOtherOriginsAreRefused() {
        Api.Response preflight = api.as(null).send("OPTIONS", "/api/v1/runs", "Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization");
        assertThat(preflight.status()).isEqualTo(403);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
        Api.Response simple = api.post("/api/v1/datasets", "text/plain", "x".getBytes(StandardCharsets.UTF_8),
                "Origin", "https://evil.example");
        assertThat(simple.status()).isEqualTo(403);
    }
}
