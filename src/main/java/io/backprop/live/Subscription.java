package io.backprop.live;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One open stream: its emitter and, per run it follows, how far it has been sent. Touched by the
 * request thread until it is registered with the hub, then only by the hub's poller.
 */
final class Subscription {

    /** How far one run has been sent on this stream. */
    static final class Cursor {
        int epoch;
        int statusPosition;
        long step;
        boolean ended;

        Cursor(int epoch, int statusPosition, long step) {
            this.epoch = epoch;
            this.statusPosition = statusPosition;
            this.step = step;
        }
    }

    final SseEmitter emitter;
    final boolean multiplexed;
    final boolean steps;
    final Map<UUID, Cursor> cursors = new LinkedHashMap<>();
    long lastHeartbeatNanos = System.nanoTime();
    long lastStepsNanos;

    Subscription(SseEmitter emitter, boolean multiplexed, boolean steps) {
        this.emitter = emitter;
        this.multiplexed = multiplexed;
        this.steps = steps;
    }

    boolean ended() {
        return cursors.values().stream().allMatch(c -> c.ended);
    }

    /**
     * The event id after a change: the epoch for a one-run stream, every run's epoch for a multiplexed
     * one ({@code <run>:<epoch>,...}), so Last-Event-ID resumes every run where it was.
     */
    String eventId(UUID run) {
        if (!multiplexed) {
            return Integer.toString(cursors.get(run).epoch);
        }
        StringJoiner id = new StringJoiner(",");
        cursors.forEach((r, c) -> id.add(r + ":" + c.epoch));
        return id.toString();
    }
}
