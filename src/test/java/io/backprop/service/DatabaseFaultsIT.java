package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Faults that are not the run's: an instance frozen past the takeover timeout that wakes up, and the
 * database going away for a while. Each on a private PostgreSQL cluster the test may stop at will; each
 * run must end SUCCEEDED once, with every epoch recorded once and weights bit-identical to an
 * uninterrupted run.
 */
class DatabaseFaultsIT {

    /**
     * Enough epochs left after the first for a freeze or an outage to land mid-run (the owner stops
     * progressing while frozen, the worker while its writes are refused). Each test trains this run twice
     * (the faulted one and its reference): 16 epochs took 467 s of CI on a slow machine.
     */
    static final int EPOCHS = 8;

    /** About a second an epoch on a fast machine, 5-10 on a slow one: long enough to be frozen or cut off in the middle. */
    static Map<String, Object> run(String name) {
        return Specs.with(Specs.run(Map.of("generator", Map.of("type", "classification", "rows", 40_000,
                        "features", 128, "classes", 4, "seed", 5)), List.of(2048), 4, "cross_entropy", "softmax",
                Map.of("type", "sgd", "learningRate", 0.01, "momentum", 0.9),
                Map.of("epochs", EPOCHS, "batchSize", 8, "seed", 9, "validationSplit", 0.1)), "name", name);
    }

    @Test
    void aFrozenInstanceThatWakesUpAfterItsRunWasTakenOverWritesNothingMore() throws Exception {
        Path dir = ServiceProcess.tempDir("backprop-freeze");
        // 8 missed heartbeats of 1 s: a busy but live instance is not mistaken for a dead one
        Map<String, String> fast = Map.of("backprop.workers", "1", "backprop.checkpoint-interval", "2s",
                "backprop.scheduler.missed-heartbeats-limit", "8");
        try (PrivatePostgres pg = PrivatePostgres.start();
             ServiceProcess a = ServiceProcess.start(pg.url(), dir, "a", fast);
             ServiceProcess b = ServiceProcess.start(pg.url(), dir, "b", fast)) {
            String id = a.api.postJson("/api/v1/runs", run("freeze")).json().get("id").asString();
            await().atMost(Duration.ofSeconds(60)).until(() -> epoch(a.api, id) >= 1);
            ServiceProcess owner = lastReason(a.api, id).endsWith(":" + a.pid()) ? a : b;
            ServiceProcess other = owner == a ? b : a;
            owner.freeze();
            try {
                // heartbeats 1 s × 8 missed: the other instance takes the run over and resumes it
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        lastReason(other.api, id).equals("attempt 2 on " + instanceOf(other)));
            } finally {
                owner.thaw();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(owner.log).contains("has been superseded"));
            await().atMost(Duration.ofSeconds(240)).until(() -> "SUCCEEDED".equals(Runs.status(other.api, id)));

            assertThat(statuses(other.api, id)).containsExactly("QUEUED", "RUNNING", "QUEUED", "RUNNING", "SUCCEEDED");
            Runs.assertContinuousEpochs(other.api, id, EPOCHS);
            String referenceId = other.api.postJson("/api/v1/runs", run("freeze")).json().get("id").asString();
            await().atMost(Duration.ofSeconds(240)).until(() -> "SUCCEEDED".equals(Runs.status(other.api, referenceId)));
            assertThat(Runs.tensors(other.api, id)).isEqualTo(Runs.tensors(other.api, referenceId));
            // by now the woken attempt would have written again had it not stopped: still one final status
            assertThat(statuses(owner.api, id)).containsExactly("QUEUED", "RUNNING", "QUEUED", "RUNNING", "SUCCEEDED");
        }
    }

    @Test
    void aRunSurvivesTheDatabaseStoppingForTwelveSecondsAndTheServiceStaysResponsive() throws Exception {
        Path dir = ServiceProcess.tempDir("backprop-outage");
        // production heartbeats (5 s × 6): the outage is shorter than the takeover timeout, so the worker
        // rides it out by retrying its writes
        Map<String, String> props = Map.of("backprop.workers", "1", "backprop.checkpoint-interval", "2s",
                "backprop.scheduler.heartbeat-interval", "5s", "backprop.scheduler.missed-heartbeats-limit", "6");
        try (PrivatePostgres pg = PrivatePostgres.start();
             ServiceProcess s = ServiceProcess.start(pg.url(), dir, "s", props)) {
            String id = s.api.postJson("/api/v1/runs", run("outage")).json().get("id").asString();
            await().atMost(Duration.ofSeconds(60)).until(() -> epoch(s.api, id) >= 1);
            long stoppedAt = System.nanoTime();
            pg.stopServer();
            await().atMost(Duration.ofSeconds(11)).pollInterval(Duration.ofMillis(200))
                    .until(() -> s.api.get("/actuator/health").status() == 503);
            // the database stays away for 12 s in all, and health must report it down at every look meanwhile
            // (a look takes up to the pool's 5 s connection timeout)
            await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(500)).until(() -> {
                assertThat(s.api.get("/actuator/health").status()).as("health while the database is stopped").isEqualTo(503);
                return System.nanoTime() - stoppedAt >= Duration.ofSeconds(12).toNanos();
            });
            pg.startServer();
            await().atMost(Duration.ofSeconds(30)).until(() -> s.api.get("/actuator/health").status() == 200);
            await().atMost(Duration.ofSeconds(240)).until(() -> "SUCCEEDED".equals(Runs.status(s.api, id)));

            assertThat(Files.readString(s.log)).contains("failed, retrying for up to");
            Runs.assertContinuousEpochs(s.api, id, EPOCHS);
            String referenceId = s.api.postJson("/api/v1/runs", run("outage")).json().get("id").asString();
            await().atMost(Duration.ofSeconds(240)).until(() -> "SUCCEEDED".equals(Runs.status(s.api, referenceId)));
            assertThat(Runs.tensors(s.api, id)).isEqualTo(Runs.tensors(s.api, referenceId));
        }
    }

    private static int epoch(Api api, String id) {
        JsonNode run = api.get("/api/v1/runs/" + id).json();
        return run.path("progress").path("epoch").asInt(0);
    }

    private static String lastReason(Api api, String id) {
        JsonNode history = api.get("/api/v1/runs/" + id).json().get("statusHistory");
        return history.get(history.size() - 1).path("reason").asString("");
    }

    private static String instanceOf(ServiceProcess p) {
        try {
            return java.net.InetAddress.getLocalHost().getHostName() + ":" + p.pid();
        } catch (java.net.UnknownHostException e) {
            return "unknown-host:" + p.pid();
        }
    }

    private static List<String> statuses(Api api, String id) {
        List<String> statuses = new ArrayList<>();
        api.get("/api/v1/runs/" + id).json().get("statusHistory").forEach(s -> statuses.add(s.get("status").asString()));
        return statuses;
    }
}
