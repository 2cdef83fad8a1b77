package io.backprop.studies;

import io.backprop.web.PageBody;
import io.backprop.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Hyperparameter studies: their trials are ordinary runs tagged {@code study:<id>}. */
@RestController
@RequestMapping("/api/v1/studies")
@Tag(name = "Studies", description = "Grid, random and successive-halving searches over a run spec")
class StudyController {

    private final StudyService service;

    StudyController(StudyService service) {
        this.service = service;
    }

    @Operation(summary = "Start a study (202): every trial's spec is checked first, nothing is stored when one fails")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<StudyService.StudyView> create(@RequestBody StudyRequest request) {
        Study study = service.create(request);
        return ResponseEntity.accepted().location(URI.create("/api/v1/studies/" + study.id())).body(service.view(study));
    }

    @Operation(summary = "Studies, newest first")
    @GetMapping
    PageBody<StudyService.StudyView> list(@RequestParam(defaultValue = "0") int page,
                                         @RequestParam(defaultValue = "20") int size) {
        Paging.check(page, size);
        return PageBody.of(service.list(page, size), service::view);
    }

    @Operation(summary = "One study: status, trials with their parameters, epochs and objective, the best trial")
    @GetMapping("/{id}")
    StudyService.StudyView get(@PathVariable UUID id) {
        return service.view(service.get(id));
    }

    @Operation(summary = "The trials, best first")
    @GetMapping(value = "/{id}/leaderboard", produces = MediaType.APPLICATION_JSON_VALUE)
    List<StudyService.TrialView> leaderboard(@PathVariable UUID id) {
        return service.leaderboard(service.get(id));
    }

    @Operation(summary = "The trials, best first, as CSV")
    @GetMapping(value = "/{id}/leaderboard", produces = "text/csv")
    ResponseEntity<String> leaderboardCsv(@PathVariable UUID id) {
        List<StudyService.TrialView> trials = service.leaderboard(service.get(id));
        List<String> paths = trials.isEmpty() ? List.of() : List.copyOf(trials.get(0).params().keySet());
        StringBuilder csv = new StringBuilder("rank,position,runId,status,epochs,objective");
        paths.forEach(p -> csv.append(',').append(p));
        csv.append('\n');
        for (int i = 0; i < trials.size(); i++) {
            StudyService.TrialView t = trials.get(i);
            Map<String, Object> row = StudyService.csvRow(t);
            csv.append(i + 1).append(',').append(row.values().stream().map(v -> v == null ? "" : v.toString())
                    .collect(Collectors.joining(",")));
            paths.forEach(p -> csv.append(',').append(t.params().get(p)));
            csv.append('\n');
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv")).body(csv.toString());
    }

    @Operation(summary = "Cancel a study and its unfinished trials (202)")
    @PostMapping("/{id}/cancel")
    ResponseEntity<StudyService.StudyView> cancel(@PathVariable UUID id) {
        return ResponseEntity.accepted().body(service.view(service.cancel(id)));
    }
}
