package io.backprop.live;

import io.backprop.config.Poller;
import io.backprop.runs.MetricRows;
import io.backprop.runs.RunFeed;
import io.backprop.web.ApiException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every open stream of this instance, fed by one poller thread: per tick and per followed run it reads
 * the status changes and the epochs after the furthest-behind stream's cursor (one query each, however
 * many streams follow the run) and hands each stream what it has not had yet. Streams hold no thread;
 * Tomcat keeps their connections.
 */
@Component
class StreamHub implements SmartLifecycle {

    private static final int STEP_BATCH = 100_000;

    private final RunFeed feed;
    private final LiveProperties properties;
    private final JsonMapper json;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Poller poller;

    StreamHub(RunFeed feed, LiveProperties properties, JsonMapper json, MeterRegistry registry) {
        this.feed = feed;
        this.properties = properties;
        this.json = json;
        this.poller = new Poller("sse-poller", properties.pollInterval(), this::tick);
        Gauge.builder("backprop.streams.open", open, AtomicInteger::get)
                .description("Event streams this instance holds open").register(registry);
    }

    /**
     * Opens a stream of {@code runs} (already checked to be the caller's), each resumed after the epoch
     * given (0 for all): the current status, then the recorded epochs, are sent at once; the poller sends
     * the rest.
     */
    SseEmitter open(Map<UUID, Integer> runs, boolean multiplexed, boolean steps) {
        if (open.incrementAndGet() > properties.maxStreams()) {
            open.decrementAndGet();
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Too many streams",
                    "this instance holds " + properties.maxStreams() + " streams already (backprop.events.max-streams)",
                    List.of(), Map.of("Retry-After", "10"));
        }
        SseEmitter emitter = new SseEmitter(properties.maxDuration().toMillis());
        Subscription sub = new Subscription(emitter, multiplexed, steps);
        Runnable close = () -> drop(sub);
        emitter.onCompletion(close);
        emitter.onTimeout(close);
        emitter.onError(e -> close.run());
        try {
            emitter.send(SseEmitter.event().reconnectTime(properties.retry().toMillis()).comment("backprop"));
            for (var run : runs.entrySet()) {
                replay(sub, run.getKey(), run.getValue());
            }
        } catch (IOException | RuntimeException e) {
            open.decrementAndGet();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        if (sub.ended()) {
            open.decrementAndGet();
            emitter.complete();
        } else {
            subscriptions.add(sub);
        }
        return emitter;
    }

    /** Forgets a stream that ended, once, however many of its callbacks and the poller see it end. */
    private void drop(Subscription sub) {
        if (subscriptions.remove(sub)) {
            open.decrementAndGet();
        }
    }

    private void replay(Subscription sub, UUID run, int after) throws IOException {
        var latest = feed.latestStatus(run).orElseThrow(() -> ApiException.notFound("run", run));
        // step events follow the run from now on; the history endpoint has the steps before
        Subscription.Cursor cursor = new Subscription.Cursor(after, latest.position() + 1, sub.steps ? feed.lastStep(run) : 0);
        sub.cursors.put(run, cursor);
        sendStatus(sub, run, latest);
        for (MetricRows.Epoch e : feed.epochsAfter(run, after)) {
            sendEpoch(sub, run, e, json.writeValueAsString(e));
        }
        if (latest.status().terminal()) {
            cursor.ended = true;
        }
    }

    private void tick() {
        if (subscriptions.isEmpty()) {
            return;
        }
        Map<UUID, List<Subscription>> byRun = new HashMap<>();
        for (Subscription s : subscriptions) {
            s.cursors.forEach((run, c) -> {
                if (!c.ended) {
                    byRun.computeIfAbsent(run, r -> new ArrayList<>()).add(s);
                }
            });
        }
        long now = System.nanoTime();
        long stepGap = TimeUnit.SECONDS.toNanos(1) / Math.max(1, properties.maxStepEventsPerSecond());
        List<Subscription> stepsDue = subscriptions.stream().filter(s -> s.steps && now - s.lastStepsNanos >= stepGap).toList();
        for (var entry : byRun.entrySet()) {
            UUID run = entry.getKey();
            List<Subscription> subs = entry.getValue();
            // status first: once it reads terminal, every epoch the run will ever have is already written
            int fromPosition = subs.stream().mapToInt(s -> s.cursors.get(run).statusPosition).min().orElse(0);
            List<RunFeed.StatusEntry> statuses = feed.statusesFrom(run, fromPosition);
            int afterEpoch = subs.stream().mapToInt(s -> s.cursors.get(run).epoch).min().orElse(0);
            List<MetricRows.Epoch> epochs = feed.epochsAfter(run, afterEpoch);
            List<Subscription> wantSteps = subs.stream().filter(stepsDue::contains).toList();
            List<MetricRows.Step> steps = wantSteps.isEmpty() ? List.of() : feed.stepsAfter(run,
                    wantSteps.stream().mapToLong(s -> s.cursors.get(run).step).min().orElse(0), STEP_BATCH);
            // one run's epoch rows are the same text on every one-run stream: written once per tick
            Map<Integer, String> plain = new HashMap<>();
            for (MetricRows.Epoch e : epochs) {
                plain.put(e.epoch(), json.writeValueAsString(e));
            }
            for (Subscription s : subs) {
                deliver(s, run, statuses, epochs, plain, wantSteps.contains(s) ? steps : List.of());
            }
        }
        for (Subscription s : stepsDue) {
            s.lastStepsNanos = now;
        }
        for (Subscription s : subscriptions) {
            if (s.ended()) {
                s.emitter.complete();
            } else if (now - s.lastHeartbeatNanos >= properties.heartbeat().toNanos()) {
                s.lastHeartbeatNanos = now;
                try {
                    s.emitter.send(SseEmitter.event().comment("heartbeat"));
                } catch (IOException | IllegalStateException gone) {
                    s.emitter.completeWithError(gone);
                }
            }
        }
    }

    private void deliver(Subscription s, UUID run, List<RunFeed.StatusEntry> statuses, List<MetricRows.Epoch> epochs,
                         Map<Integer, String> plain, List<MetricRows.Step> steps) {
        Subscription.Cursor c = s.cursors.get(run);
        try {
            List<MetricRows.Step> fresh = steps.stream().filter(st -> st.step() > c.step).toList();
            if (!fresh.isEmpty()) {
                sendSteps(s, run, fresh);
            }
            for (MetricRows.Epoch e : epochs) {
                if (e.epoch() > c.epoch) {
                    sendEpoch(s, run, e, plain.get(e.epoch()));
                }
            }
            for (RunFeed.StatusEntry st : statuses) {
                if (st.position() >= c.statusPosition) {
                    c.statusPosition = st.position() + 1;
                    sendStatus(s, run, st);
                    if (st.status().terminal()) {
                        c.ended = true;
                    }
                }
            }
        } catch (IOException | IllegalStateException gone) {
            s.emitter.completeWithError(gone);
            drop(s);
        }
    }

    private void sendStatus(Subscription s, UUID run, RunFeed.StatusEntry st) throws IOException {
        Map<String, Object> data = new LinkedHashMap<>();
        if (s.multiplexed) {
            data.put("runId", run);
        }
        data.put("status", st.status());
        data.put("reason", st.reason());
        data.put("at", st.at());
        s.emitter.send(SseEmitter.event().name("status").id(s.eventId(run)).data(json.writeValueAsString(data)));
    }

    /** @param plain the row as JSON, which a one-run stream sends as it is */
    private void sendEpoch(Subscription s, UUID run, MetricRows.Epoch e, String plain) throws IOException {
        s.cursors.get(run).epoch = e.epoch();
        String data = plain;
        if (s.multiplexed) {
            @SuppressWarnings("unchecked")
            Map<String, Object> row = new LinkedHashMap<>(json.convertValue(e, Map.class));
            row.put("runId", run);
            data = json.writeValueAsString(row);
        }
        s.emitter.send(SseEmitter.event().name("epoch").id(s.eventId(run)).data(data));
    }

    /** The steps since the last step event, as one: their range and mean loss. */
    private void sendSteps(Subscription s, UUID run, List<MetricRows.Step> steps) throws IOException {
        double sum = 0;
        int finite = 0;
        for (MetricRows.Step st : steps) {
            if (st.loss() != null) {
                sum += st.loss();
                finite++;
            }
        }
        MetricRows.Step last = steps.get(steps.size() - 1);
        Map<String, Object> data = new LinkedHashMap<>();
        if (s.multiplexed) {
            data.put("runId", run);
        }
        data.put("step", last.step());
        data.put("fromStep", steps.get(0).step());
        data.put("toStep", last.step());
        data.put("steps", steps.size());
        data.put("epoch", last.epoch());
        data.put("loss", finite == 0 ? null : sum / finite);
        s.cursors.get(run).step = last.step();
        s.emitter.send(SseEmitter.event().name("step").data(json.writeValueAsString(data)));
    }

    @Override
    public void start() {
        poller.start();
    }

    @Override
    public void stop() {
        poller.stop();
        subscriptions.forEach(s -> s.emitter.complete());
        subscriptions.clear();
    }

    @Override
    public boolean isRunning() {
        return poller.running();
    }
}
