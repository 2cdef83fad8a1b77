package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Several instances, each its own JVM, on one PostgreSQL: every run executes on exactly one instance
 * at a time; a killed or stopped instance's runs resume elsewhere to the weights of an uninterrupted run.
 */
class MultiInstanceIT {

    private PostgresDatabase db;
    private Path logs;
    private final List<ServiceProcess> processes = new ArrayList<>();

    @BeforeEach
    void database() {
        db = PostgresDatabase.create();
        logs = ServiceProcess.tempDir("backprop-multi");
    }

    @AfterEach
    void cleanUp() {
        processes.forEach(ServiceProcess::close);
        if (db != null) {
            db.close();
        }
    }

    private ServiceProcess start(String name) {
        ServiceProcess p = ServiceProcess.start(db.url, logs, name, Map.of("backprop.workers", "2"));
        processes.add(p);
        return p;
    }

    @Test
    void fortyRunsOnTwoInstancesEachRunOnceAndShareTheWork() {
        ServiceProcess a = start("a");
        ServiceProcess b = start("b");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ServiceProcess via = i % 2 == 0 ? a : b;
            ids.add(via.api.postJson("/api/v1/runs", Specs.with(Specs.classifier(Specs.builtin("iris"), 3, 20, 8),
                    "name", "run-" + i)).json().get("id").asString());
        }
        Set<String> workers = new HashSet<>();
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(180)).until(() -> Runs.status(a.api, id).equals("SUCCEEDED"));
            JsonNode run = a.api.get("/api/v1/runs/" + id).json();
            assertThat(run.get("attempts").asInt()).isEqualTo(1);
            List<String> statuses = new ArrayList<>();
            run.get("statusHistory").forEach(s -> statuses.add(s.get("status").asString()));
            assertThat(statuses).containsExactly("QUEUED", "RUNNING", "SUCCEEDED");
            workers.add(run.get("statusHistory").get(1).get("reason").asString().replaceAll(".* on ", ""));
            Runs.assertContinuousEpochs(a.api, id, 20);
        }
        assertThat(workers).hasSize(2);
        System.out.println("40 runs shared by " + workers);
    }

    @Test
    void aStudyWhoseInstanceIsKilledFinishesOnTheOtherWithTheSameLeaderboard() {
        ServiceProcess a = start("a");
        ServiceProcess b = start("b");
        Map<String, Object> request = Map.of("name", "survivor", "base", Runs.longRun("trial", 18),
                "space", Map.of("optimizer.learningRate", Map.of("logUniform", List.of(1e-3, 5e-2)),
                        "model.layers[0].units", Map.of("values", List.of(16, 32))),
                "strategy", Map.of("type", "asha", "maxTrials", 6, "maxConcurrent", 4, "seed", 3, "minEpochs", 2));
        String id = a.api.postJson("/api/v1/studies", request).json().get("id").asString();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode trials = a.api.get("/api/v1/studies/" + id).json().get("trials");
            for (JsonNode t : trials) {
                if (t.get("epochs").asInt() >= 1 && t.get("status").asString().equals("RUNNING")) {
                    return true;
                }
            }
            return false;
        });
        a.kill();
        await().atMost(Duration.ofMinutes(3)).until(() -> b.api.get("/api/v1/studies/" + id).json().get("status")
                .asString().equals("SUCCEEDED"));
        String reference = b.api.postJson("/api/v1/studies", request).json().get("id").asString();
        await().atMost(Duration.ofMinutes(3)).until(() -> b.api.get("/api/v1/studies/" + reference).json().get("status")
                .asString().equals("SUCCEEDED"));
        JsonNode killed = b.api.get("/api/v1/studies/" + id + "/leaderboard").json();
        JsonNode uninterrupted = b.api.get("/api/v1/studies/" + reference + "/leaderboard").json();
        assertThat(killed.size()).isEqualTo(6);
        for (int i = 0; i < killed.size(); i++) {
            for (String field : List.of("position", "params", "status", "epochs", "objective")) {
                assertThat(killed.get(i).get(field)).as("rank %d %s; killed study %s, uninterrupted %s", i + 1, field, killed, uninterrupted)
                        .isEqualTo(uninterrupted.get(i).get(field));
            }
        }
        int attempts = 0;
        for (JsonNode t : killed) {
            attempts += b.api.get("/api/v1/runs/" + t.get("runId").asString()).json().get("attempts").asInt();
        }
        System.out.println("study survived SIGKILL of its instance; its trials took " + attempts + " attempts");
    }

    @Test
    void aRunTrainingOnOneInstanceIsStreamedFromTheOtherAndACancelAskedThereStopsIt() {
        ServiceProcess a = start("a");
        String id = a.api.postJson("/api/v1/runs", Runs.longRun("cancelled-elsewhere", 100000)).json()
                .get("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> a.api.get("/api/v1/runs/" + id + "/metrics").json().size() >= 1);
        ServiceProcess b = start("b");
        JsonNode history = b.api.get("/api/v1/runs/" + id).json().get("statusHistory");
        assertThat(history.get(history.size() - 1).get("reason").asString()).endsWith(":" + a.pid());

        try (SseClient stream = SseClient.open(b.api, "/api/v1/runs/" + id + "/events")) {
            assertThat(stream.next(Duration.ofSeconds(10)).json().get("status").asString()).isEqualTo("RUNNING");
            int expected = 1;
            while (expected <= 3) {
                SseClient.Event e = stream.next(Duration.ofSeconds(30));
                if (e.name().equals("epoch")) {
                    assertThat(e.id()).as("contiguous epochs from a, read on b").isEqualTo(Integer.toString(expected++));
                }
            }
            Instant asked = Instant.now();
            assertThat(b.api.post("/api/v1/runs/" + id + "/cancel", null, new byte[0]).status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Runs.status(b.api, id).equals("CANCELLED"));
            System.out.printf("cancel asked on b took effect on a after %d ms%n",
                    Duration.between(asked, Instant.now()).toMillis());
            SseClient.Event e = stream.next(Duration.ofSeconds(10));
            while (e.name().equals("epoch")) {
                assertThat(e.id()).isEqualTo(Integer.toString(expected++));
                e = stream.next(Duration.ofSeconds(10));
            }
            assertThat(e.json().get("status").asString()).isEqualTo("CANCELLED");
            assertThat(stream.next(Duration.ofSeconds(10))).as("closed after the terminal status").isEqualTo(SseClient.END);
        }
    }

    @Test
    void runsOfAKilledInstanceFinishOnTheOtherWithIdenticalWeights() {
        crashAndResume(true);
    }

    @Test
    void runsOfAStoppedInstanceAreReleasedAndFinishOnTheOther() {
        crashAndResume(false);
    }

    /** Long enough that the runs are still training when the instance is stopped. */
    private static final int EPOCHS = 100;

    private void crashAndResume(boolean kill) {
        ServiceProcess a = start("a");
        ServiceProcess b = start("b");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ids.add(a.api.postJson("/api/v1/runs", Runs.longRun("long-" + i, EPOCHS)).json().get("id").asString());
        }
        String first = ids.get(0);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                a.api.get("/api/v1/runs/" + first + "/metrics").json().size() >= 2);
        JsonNode history = a.api.get("/api/v1/runs/" + first).json().get("statusHistory");
        String worker = history.get(history.size() - 1).get("reason").asString();
        ServiceProcess victim = worker.endsWith(":" + a.pid()) ? a : b;
        ServiceProcess survivor = victim == a ? b : a;
        Instant stoppedAt = Instant.now();
        if (kill) {
            victim.kill();
        } else {
            victim.terminate();
        }

        int resumed = 0;
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(180)).until(() -> Runs.status(survivor.api, id).equals("SUCCEEDED"));
            JsonNode run = survivor.api.get("/api/v1/runs/" + id).json();
            JsonNode h = run.get("statusHistory");
            List<String> statuses = new ArrayList<>();
            h.forEach(s -> statuses.add(s.get("status").asString()));
            if (run.get("attempts").asInt() == 2) {
                resumed++;
                assertThat(statuses).containsExactly("QUEUED", "RUNNING", "QUEUED", "RUNNING", "SUCCEEDED");
                assertThat(h.get(2).get("reason").asString()).contains(kill ? "stopped heartbeating" : "released");
                Instant requeued = Instant.parse(h.get(2).get("at").asString());
                Instant restarted = Instant.parse(h.get(3).get("at").asString());
                System.out.printf("%s: run %s back in the queue %d ms after the stop, resumed %d ms later%n",
                        kill ? "SIGKILL" : "SIGTERM", id, Duration.between(stoppedAt, requeued).toMillis(),
                        Duration.between(requeued, restarted).toMillis());
            } else {
                assertThat(statuses).containsExactly("QUEUED", "RUNNING", "SUCCEEDED");
            }
            Runs.assertContinuousEpochs(survivor.api, id, EPOCHS);
        }
        assertThat(resumed).isGreaterThanOrEqualTo(1);
        List<String> references = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            references.add(survivor.api.postJson("/api/v1/runs", Runs.longRun("long-" + i, EPOCHS)).json()
                    .get("id").asString());
        }
        for (int i = 0; i < ids.size(); i++) {
            String reference = references.get(i);
            await().atMost(Duration.ofSeconds(180)).until(() -> Runs.status(survivor.api, reference).equals("SUCCEEDED"));
            assertThat(Runs.tensors(survivor.api, ids.get(i))).isEqualTo(Runs.tensors(survivor.api, reference));
        }
    }
}
