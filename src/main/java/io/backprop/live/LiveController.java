package io.backprop.live;

import io.backprop.identity.Tenancy;
import io.backprop.runs.RunFeed;
import io.backprop.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Server-Sent Events of one run, or of several on one connection. */
@RestController
@EnableConfigurationProperties(LiveProperties.class)
@Tag(name = "Live", description = "Server-Sent Events: status changes, epochs and steps as they are written")
class LiveController {

    private final StreamHub hub;
    private final RunFeed feed;
    private final Tenancy tenancy;
    private final LiveProperties properties;

    LiveController(StreamHub hub, RunFeed feed, Tenancy tenancy, LiveProperties properties) {
        this.hub = hub;
        this.feed = feed;
        this.tenancy = tenancy;
        this.properties = properties;
    }

    @Operation(summary = "A run's events: its status, every epoch recorded, then each new epoch and status change; "
            + "closes after the terminal status. Resume with Last-Event-ID (or after=k); steps=true adds aggregated steps")
    @GetMapping(value = "/api/v1/runs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter run(@PathVariable UUID id, @RequestParam(required = false) Integer after,
                   @RequestParam(defaultValue = "false") boolean steps,
                   @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId) {
        owned(id);
        int from = lastEventId != null ? epoch(lastEventId, "Last-Event-ID") : after != null ? after : 0;
        if (from < 0) {
            throw ApiException.invalid("after", "must be >= 0");
        }
        return hub.open(Map.of(id, from), false, steps);
    }

    @Operation(summary = "Several runs' events on one connection (browsers allow about 6 per origin); each event "
            + "carries its runId, and its id resumes every run (Last-Event-ID: <run>:<epoch>,...)")
    @GetMapping(value = "/api/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter runs(@RequestParam String runs, @RequestParam(defaultValue = "false") boolean steps,
                    @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId) {
        String[] ids = runs.split(",");
        if (ids.length > properties.maxRunsPerStream()) {
            throw ApiException.invalid("runs", "at most " + properties.maxRunsPerStream() + " runs per stream");
        }
        Map<UUID, Integer> from = new LinkedHashMap<>();
        for (String id : ids) {
            from.put(owned(uuid(id.strip(), "runs")), 0);
        }
        if (lastEventId != null) {
            for (String part : lastEventId.split(",")) {
                int colon = part.lastIndexOf(':');
                if (colon <= 0) {
                    throw ApiException.invalid("Last-Event-ID", "must be <run>:<epoch>,...");
                }
                UUID run = uuid(part.substring(0, colon), "Last-Event-ID");
                if (from.containsKey(run)) {
                    from.put(run, epoch(part.substring(colon + 1), "Last-Event-ID"));
                }
            }
        }
        return hub.open(from, true, steps);
    }

    private UUID owned(UUID id) {
        // the run's validator, read with the tenant check in one small query, says it is the caller's
        feed.version(tenancy.tenantId(), id).orElseThrow(() -> ApiException.notFound("run", id));
        return id;
    }

    private static UUID uuid(String value, String field) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, "'" + value + "' is not a run id");
        }
    }

    private static int epoch(String value, String field) {
        try {
            int epoch = Integer.parseInt(value.strip());
            if (epoch < 0) {
                throw new NumberFormatException();
            }
            return epoch;
        } catch (NumberFormatException e) {
            throw ApiException.invalid(field, "must be an epoch number >= 0");
        }
    }
}
