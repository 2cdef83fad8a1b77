package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The live stream over real HTTP: exact, contiguous, resumable, closed at the end, scoped to the tenant. */
class LiveStreamTest extends ServiceTestBase {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private String submit(Map<String, Object> spec) {
        Api.Response r = api.postJson("/api/v1/runs", spec);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        return r.json().get("id").asString();
    }

    /** Reads events until the stream closes; returns them all. */
    private static List<SseClient.Event> drain(SseClient stream) {
        List<SseClient.Event> all = new ArrayList<>();
        for (SseClient.Event e = stream.next(WAIT); e != SseClient.END; e = stream.next(WAIT)) {
            all.add(e);
        }
        return all;
    }

    private static List<Integer> epochIds(List<SseClient.Event> events) {
        return events.stream().filter(e -> e.name().equals("epoch")).map(e -> Integer.parseInt(e.id())).toList();
    }

    @Test
    void aLiveRunIsStreamedEpochByEpochAndAReconnectResumesWithoutGapOrDuplicate() {
        int epochs = 12;
        String run = submit(Runs.longRun("streamed", epochs));
        List<Integer> first = new ArrayList<>();
        try (SseClient stream = SseClient.open(api, "/api/v1/runs/" + run + "/events")) {
            assertThat(stream.status).isEqualTo(200);
            assertThat(stream.contentType).startsWith("text/event-stream");
            SseClient.Event status = stream.next(WAIT);
            assertThat(status.name()).isEqualTo("status");
            assertThat(status.json().get("status").asString()).isIn("QUEUED", "RUNNING");
            while (first.size() < 5) {
                SseClient.Event e = stream.next(WAIT);
                assertThat(e).isNotEqualTo(SseClient.END);
                if (e.name().equals("epoch")) {
                    assertThat(e.json().get("epoch").asInt()).isEqualTo(Integer.parseInt(e.id()));
                    first.add(Integer.parseInt(e.id()));
                }
            }
        }
        assertThat(first).containsExactly(1, 2, 3, 4, 5);

        try (SseClient resumed = SseClient.open(api, "/api/v1/runs/" + run + "/events", "Last-Event-ID", "5")) {
            List<SseClient.Event> rest = drain(resumed);
            assertThat(epochIds(rest)).isEqualTo(IntStream.rangeClosed(6, epochs).boxed().toList());
            // live, the terminal status comes last; if the run ended before the reconnect, it comes first
            assertThat(rest.stream().filter(e -> e.name().equals("status")).map(e -> e.json().get("status").asString()))
                    .contains("SUCCEEDED");
        }
        JsonNode rows = api.get("/api/v1/runs/" + run + "/metrics").json();
        try (SseClient replay = SseClient.open(api, "/api/v1/runs/" + run + "/events?after=10")) {
            List<SseClient.Event> events = drain(replay);
            assertThat(events.get(0).json().get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(epochIds(events)).containsExactly(11, 12);
            assertThat(events.get(1).json()).isEqualTo(rows.get(10));
        }
    }

    private double streamsOpen() {
        return api.get("/actuator/metrics/backprop.streams.open").json().get("measurements").get(0).get("value").asDouble();
    }

    /**
     * A stream an earlier test closed is counted until the hub next writes to it; waiting for none
     * keeps it from being given back in the middle of a test that counts its own.
     */
    private void awaitNoStreamOpen() {
        await().atMost(WAIT).until(() -> streamsOpen() == 0);
    }

    /** Opens a stream of {@code run}, checks it is counted, leaves, and waits for its place to be given back. */
    private void leave(String run) {
        awaitNoStreamOpen();
        SseClient stream = SseClient.open(api, "/api/v1/runs/" + run + "/events");
        assertThat(stream.next(WAIT).name()).isEqualTo("status");
        assertThat(streamsOpen()).isEqualTo(1);
        stream.close();
        awaitNoStreamOpen();
    }

    @Test
    void aStreamWhoseClientLeavesGivesBackItsPlace() {
        String run = submit(Runs.longRun("left", 1000));
        try {
            // the poller finds the connection gone when it next writes an epoch to it
            leave(run);
        } finally {
            api.post("/api/v1/runs/" + run + "/cancel", null, new byte[0]);
        }
    }

    @Test
    void aStreamOfAQueuedRunWhoseClientLeavesGivesBackItsPlace() {
        List<String> busy = List.of(submit(Runs.longRun("busy-1", 1000)), submit(Runs.longRun("busy-2", 1000)));
        String queued = null;
        try {
            await().atMost(WAIT.multipliedBy(2)).until(() -> busy.stream().allMatch(r -> Runs.status(api, r).equals("RUNNING")));
            queued = submit(Runs.longRun("queued", 1000));
            // no epoch is written while both workers are busy: the heartbeat finds the connection gone
            leave(queued);
            assertThat(Runs.status(api, queued)).isEqualTo("QUEUED");
        } finally {
            for (String run : queued == null ? busy : List.of(queued, busy.get(0), busy.get(1))) {
                api.post("/api/v1/runs/" + run + "/cancel", null, new byte[0]);
            }
        }
    }

    @Test
    void aFinishedRunReplaysEveryEpochAndCloses() {
        String run = submit(Specs.classifier(Specs.builtin("iris"), 3, 4, 16));
        await().atMost(WAIT).until(() -> Runs.status(api, run).equals("SUCCEEDED"));
        try (SseClient stream = SseClient.open(api, "/api/v1/runs/" + run + "/events")) {
            List<SseClient.Event> events = drain(stream);
            assertThat(events.get(0).name()).isEqualTo("status");
            assertThat(epochIds(events)).containsExactly(1, 2, 3, 4);
            assertThat(events).hasSize(5);
        }
    }

    @Test
    void severalRunsShareOneConnectionAndStepsArriveAggregated() {
        String a = submit(Runs.longRun("mux-a", 3));
        String b = submit(Runs.longRun("mux-b", 3));
        try (SseClient stream = SseClient.open(api, "/api/v1/events?steps=true&runs=" + a + "," + b)) {
            List<SseClient.Event> events = drain(stream);
            for (String run : List.of(a, b)) {
                List<SseClient.Event> mine = events.stream().filter(e -> e.json().get("runId").asString().equals(run)).toList();
                assertThat(mine.stream().filter(e -> e.name().equals("epoch")).map(e -> e.json().get("epoch").asInt()))
                        .containsExactly(1, 2, 3);
                assertThat(mine.get(mine.size() - 1).json().get("status").asString()).isIn(TERMINAL);
            }
            List<JsonNode> steps = events.stream().filter(e -> e.name().equals("step")).map(SseClient.Event::json).toList();
            assertThat(steps).isNotEmpty();
            assertThat(steps).allSatisfy(s -> assertThat(s.get("toStep").asLong()).isGreaterThanOrEqualTo(s.get("fromStep").asLong()));
            assertThat(steps.stream().mapToLong(s -> s.get("steps").asLong()).sum())
                    .as("aggregated, not dropped: more steps than step events").isGreaterThan(steps.size());
            String lastId = events.get(events.size() - 1).id();
            assertThat(lastId).contains(a + ":3").contains(b + ":3");
        }
    }

    @Test
    void anotherTenantsRunIsNotFoundAndAStreamNeedsAKey() {
        String run = submit(Specs.classifier(Specs.builtin("iris"), 3, 1, 16));
        Api.Response anonymous = api.as(null).get("/api/v1/runs/" + run + "/events", "text/event-stream");
        assertThat(anonymous.status()).isEqualTo(401);
        String tenant = api.postJson("/api/v1/tenants", Map.of("name", "live-other")).json().get("id").asString();
        String other = api.postJson("/api/v1/tenants/" + tenant + "/keys", Map.of("name", "k", "role", "viewer"))
                .json().get("key").asString();
        Api.Response foreign = api.as(other).get("/api/v1/runs/" + run + "/events", "text/event-stream");
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(api.as(other).get("/api/v1/events?runs=" + run, "text/event-stream").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/runs/" + run + "/events", "text/event-stream")).isNotNull();
    }

    @Test
    void stepHistoryIsSampledToAtMostNPointsKeepingFirstLastAndExtremes() {
        String run = submit(Runs.longRun("sampled", 2));
        await().atMost(WAIT).until(() -> TERMINAL.contains(Runs.status(api, run)));
        List<JsonNode> all = new ArrayList<>();
        api.get("/api/v1/runs/" + run + "/metrics?granularity=step&limit=10000").json().forEach(all::add);
        assertThat(all.size()).isGreaterThan(1000);
        JsonNode sampled = api.get("/api/v1/runs/" + run + "/metrics?granularity=step&points=100").json();
        assertThat(sampled.size()).isLessThanOrEqualTo(100).isGreaterThan(50);
        assertThat(sampled.get(0)).isEqualTo(all.get(0));
        assertThat(sampled.get(sampled.size() - 1)).isEqualTo(all.get(all.size() - 1));
        double min = all.stream().mapToDouble(s -> s.get("loss").asDouble()).min().orElseThrow();
        double max = all.stream().mapToDouble(s -> s.get("loss").asDouble()).max().orElseThrow();
        List<Double> losses = new ArrayList<>();
        sampled.forEach(s -> losses.add(s.get("loss").asDouble()));
        assertThat(losses).contains(min, max);
        JsonNode zoomed = api.get("/api/v1/runs/" + run + "/metrics?granularity=step&points=1000&fromStep=100&toStep=199").json();
        assertThat(zoomed.size()).as("full resolution in a zoomed range").isEqualTo(100);
        assertThat(zoomed.get(0).get("step").asLong()).isEqualTo(100);
    }
}
