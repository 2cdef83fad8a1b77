package io.backprop.runs;

import io.backprop.web.ApiException;
import io.backprop.web.ETags;
import io.backprop.web.PageBody;
import io.backprop.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/api/v1/runs")
@Tag(name = "Runs", description = "Start training runs, follow them, read their loss history")
class RunController {

    private static final int MAX_STEP_PAGE = 10_000;

    private final RunService service;
    private final Clock clock;
    private final StatusCache statuses;
    private final JsonMapper json;

    RunController(RunService service, Clock clock, StatusCache statuses, JsonMapper json) {
        this.service = service;
        this.clock = clock;
        this.statuses = statuses;
        this.json = json;
    }

    @Operation(summary = "Start a training run (202); ?dryRun=true only validates and resolves defaults")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> submit(@RequestBody RunSpec request,
                             @RequestParam(defaultValue = "false") boolean dryRun,
                             @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey) {
        if (dryRun) {
            return ResponseEntity.ok(service.dryRun(request));
        }
        RunService.Submitted submitted = service.submit(request, idempotencyKey);
        Run run = submitted.run();
        ResponseEntity.BodyBuilder response = ResponseEntity.accepted().location(URI.create("/api/v1/runs/" + run.id()));
        if (submitted.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.body(view(run));
    }

    @Operation(summary = "One run: status, progress, latest metrics, best epoch, status history "
            + "(ETag; If-None-Match answers 304 while nothing changed)")
    @ApiResponse(responseCode = "200", description = "the run",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = RunResponse.class)))
    @GetMapping(value = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> get(@PathVariable UUID id,
                               @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        String etag = service.owned(id).etag();
        if (ETags.notModified(ifNoneMatch, etag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
        }
        return ResponseEntity.ok().eTag(etag).body(statuses.get(id, etag, clock.instant(), () -> json.writeValueAsBytes(view(service.get(id)))));
    }

    @Operation(summary = "Runs, newest first, filtered by status, name and tag (key:value)")
    @GetMapping
    PageBody<RunResponse> list(@RequestParam(required = false) RunStatus status, @RequestParam(required = false) String name,
                  @RequestParam(required = false) String tag, @RequestParam(defaultValue = "0") int page,
                  @RequestParam(defaultValue = "20") int size) {
        Paging.check(page, size);
        Page<Run> result = service.list(status, name, tag, page, size);
        return PageBody.of(result, this::view);
    }

    @Operation(summary = "Loss history: every epoch, or every step with granularity=step (paged by after/limit; "
            + "points=N for at most N points that keep the curve's shape, fromStep/toStep for a range)")
    @GetMapping(value = "/{id}/metrics", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<List<?>> metrics(@PathVariable UUID id, @RequestParam(defaultValue = "epoch") String granularity,
                                    @RequestParam(defaultValue = "0") long after,
                                    @RequestParam(defaultValue = "1000") int limit,
                                    @RequestParam(required = false) Integer points,
                                    @RequestParam(defaultValue = "0") long fromStep,
                                    @RequestParam(defaultValue = "9223372036854775807") long toStep,
                                    @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        // the query is checked before the validator: a bad query is refused whatever the cache holds
        boolean steps = "step".equals(granularity);
        boolean sampled = steps && points != null;
        if (sampled) {
            if (points < 4 || points > MAX_STEP_PAGE) {
                throw ApiException.invalid("points", "must be between 4 and " + MAX_STEP_PAGE);
            }
            if (fromStep < 0 || toStep < fromStep) {
                throw ApiException.invalid("toStep", "must be >= fromStep >= 0");
            }
        } else if (steps) {
            checkLimit(limit, after);
        } else {
            checkGranularity(granularity);
        }
        RunService.Owned run = service.owned(id);
        String etag = run.etag();
        if (ETags.notModified(ifNoneMatch, etag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
        }
        if (sampled) {
            return ResponseEntity.ok().eTag(etag).body(service.sampledSteps(run, fromStep, toStep, points));
        }
        if (steps) {
            List<MetricRows.Step> page = service.steps(run, after, limit);
            ResponseEntity.BodyBuilder ok = ResponseEntity.ok().eTag(etag);
            if (page.size() == limit) {
                ok.header(HttpHeaders.LINK, "</api/v1/runs/" + id + "/metrics?granularity=step&after="
                        + page.get(page.size() - 1).step() + "&limit=" + limit + ">; rel=\"next\"");
            }
            return ok.body(page);
        }
        return ResponseEntity.ok().eTag(etag).body(service.epochs(run));
    }

    @Operation(summary = "Loss history as CSV")
    @GetMapping(value = "/{id}/metrics", produces = "text/csv")
    ResponseEntity<String> metricsCsv(@PathVariable UUID id, @RequestParam(defaultValue = "epoch") String granularity,
                                      @RequestParam(defaultValue = "0") long after,
                                      @RequestParam(defaultValue = "1000") int limit) {
        RunService.Owned run = service.owned(id);
        String csv;
        if ("step".equals(granularity)) {
            checkLimit(limit, after);
            csv = MetricsCsv.steps(service.steps(run, after, limit));
        } else {
            checkGranularity(granularity);
            csv = MetricsCsv.epochs(service.epochs(run));
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv")).body(csv);
    }

    @Operation(summary = "Cancel a run: at once when queued, at the next batch when running (202)")
    @PostMapping("/{id}/cancel")
    ResponseEntity<RunResponse> cancel(@PathVariable UUID id) {
        return ResponseEntity.accepted().body(view(service.cancel(id)));
    }

    @Operation(summary = "Delete a finished run and all its data (409 while queued or running)")
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        service.delete(id);
        return ResponseEntity.noContent().build();
    }

    private RunResponse view(Run run) {
        return RunResponse.of(run, service.spec(run), clock);
    }

    private static void checkLimit(int limit, long after) {
        if (limit < 1 || limit > MAX_STEP_PAGE) {
            throw ApiException.invalid("limit", "must be between 1 and " + MAX_STEP_PAGE);
        }
        if (after < 0) {
            throw ApiException.invalid("after", "must be >= 0");
        }
    }

    private static void checkGranularity(String granularity) {
        if (!"epoch".equals(granularity)) {
            throw ApiException.invalid("granularity", "must be epoch or step");
        }
    }

}
