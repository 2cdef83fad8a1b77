package io.backprop.studies;

import io.backprop.identity.Audit;
import io.backprop.identity.Tenancy;
import io.backprop.runs.RunFeed;
import io.backprop.runs.RunLedger;
import io.backprop.runs.RunViews;
import io.backprop.runs.RunSpec;
import io.backprop.runs.RunStatus;
import io.backprop.runs.RunSubmission;
import io.backprop.web.ApiException;
import io.backprop.web.FieldErrors;
import io.backprop.web.JsonInputErrors;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Creating, reading and cancelling studies; the trials' specs are built and checked here. */
@Service
class StudyService {

    private static final List<String> TYPES = List.of("grid", "random", "asha");

    private final StudyRepository studies;
    private final Trials trials;
    private final RunSubmission submission;
    private final RunLedger ledger;
    private final RunViews runViews;
    private final RunFeed feed;
    private final Tenancy tenancy;
    private final Audit audit;
    private final JsonMapper json;
    private final Clock clock;

    StudyService(StudyRepository studies, Trials trials, RunSubmission submission, RunLedger ledger, RunViews runViews,
                 RunFeed feed,
                 Tenancy tenancy, Audit audit, JsonMapper json, Clock clock) {
        this.studies = studies;
        this.trials = trials;
        this.submission = submission;
        this.ledger = ledger;
        this.runViews = runViews;
        this.feed = feed;
        this.tenancy = tenancy;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    /** What is stored: the request as sent and the plan resolved from it. */
    record Stored(StudyRequest request, Plan plan) {
    }

    record TrialView(int position, UUID runId, Map<String, Object> params, String status, int epochs, Double objective) {
    }

    record StudyView(UUID id, String name, StudyStatus status, String reason, String strategy, Goal objective,
                     List<Integer> rungs, int rung, List<TrialView> trials, TrialView best, Instant createdAt,
                     Instant finishedAt) {
    }

    /** Validates the study and every trial's spec (nothing is stored when one fails), then stores it. */
    @Transactional
    Study create(StudyRequest request) {
        UUID tenant = tenancy.tenantId();
        FieldErrors errors = new FieldErrors();
        if (request == null || request.base() == null) {
            errors.add("$.base", "a run spec is required");
            errors.throwIfAny();
        }
        String name = request.name() == null ? "study" : request.name();
        if (name.isBlank() || name.length() > 180) {
            errors.add("$.name", "must be 1 to 180 characters");
        }
        StudyRequest.Strategy s = request.strategy();
        String type = s == null || s.type() == null ? null : s.type();
        if (!TYPES.contains(type)) {
            errors.add("$.strategy.type", "must be one of " + TYPES);
            errors.throwIfAny();
        }
        SearchSpace.check(request.space(), type, errors);
        between(errors, "$.strategy.maxTrials", s.maxTrials(), 1, SearchSpace.MAX_TRIALS);
        between(errors, "$.strategy.maxConcurrent", s.maxConcurrent(), 1, 1000);
        between(errors, "$.strategy.reductionFactor", s.reductionFactor(), 2, 100);
        errors.throwIfAny();
        RunSpec base = submission.resolve(tenant, request.base()).spec();
        int maxEpochs = base.training().epochs();
        Goal goal = Goal.of(request.objective(), base.training().validationSplit() > 0, errors);
        List<Integer> rungs = List.of(maxEpochs);
        int factor = s.reductionFactor() == null ? 3 : s.reductionFactor();
        if (type.equals("asha")) {
            if (s.minEpochs() == null || s.minEpochs() < 1 || s.minEpochs() >= maxEpochs) {
                errors.add("$.strategy.minEpochs", "must be at least 1 and below the base spec's " + maxEpochs + " epochs");
            } else {
                rungs = Plan.rungs(s.minEpochs(), factor, maxEpochs);
            }
        }
        if (!type.equals("grid") && s.maxTrials() == null) {
            errors.add("$.strategy.maxTrials", "is required for " + type);
        }
        errors.throwIfAny();
        long seed = s.seed() == null ? 0 : s.seed();
        int maxTrials = s.maxTrials() == null ? SearchSpace.MAX_TRIALS : s.maxTrials();
        List<Map<String, Object>> params = type.equals("grid") ? SearchSpace.grid(request.space(), maxTrials)
                : SearchSpace.random(request.space(), maxTrials, seed);
        if (params.size() > SearchSpace.MAX_TRIALS) {
            throw ApiException.invalid("$.space", "the grid has more than " + SearchSpace.MAX_TRIALS + " combinations");
        }
        Plan plan = new Plan(type, s.maxConcurrent() == null ? params.size() : s.maxConcurrent(), factor, rungs, goal);
        Study study = new Study(UUID.randomUUID(), tenant, name, json.writeValueAsString(new Stored(request, plan)),
                clock.instant());
        for (int i = 0; i < params.size(); i++) {
            trialSpec(study, request, params.get(i), i);
        }
        studies.saveAndFlush(study);
        trials.insert(study.id(), params);
        audit.record("create", "study", study.id());
        return study;
    }

    private static void between(FieldErrors errors, String field, Integer value, int lo, int hi) {
        if (value != null && (value < lo || value > hi)) {
            errors.add(field, "must be between " + lo + " and " + hi);
        }
    }

    /**
     * Trial {@code position}'s spec, resolved like any run's: a 422 names the space path at fault, or the
     * base spec's field.
     */
    RunSpec trialSpec(Study study, StudyRequest request, Map<String, Object> params, int position) {
        ObjectNode base = json.valueToTree(request.base());
        ObjectNode spec;
        try {
            spec = SearchSpace.apply(base, params, json);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("$.space['" + e.getMessage() + "']", "names no field of the spec");
        }
        spec.put("name", study.name() + "-t" + position);
        ObjectNode tags = spec.has("tags") && spec.get("tags").isObject() ? (ObjectNode) spec.get("tags") : spec.putObject("tags");
        tags.put("study", study.id().toString());
        RunSpec runSpec;
        try {
            runSpec = json.treeToValue(spec, RunSpec.class);
        } catch (JacksonException e) {
            // a domain's value of the wrong kind for its field: uniform's 10.8 for a layer's units
            String path = JsonInputErrors.path(e).replaceFirst("^\\$\\.?", "");
            String message = JsonInputErrors.describe(e);
            throw ApiException.invalid(params.containsKey(path) ? "$.space['" + path + "']" : "$.base." + path,
                    "trial " + position + " (" + params + "): " + message
                            + (message.endsWith("is not an integer") ? "; intUniform draws integers" : ""));
        }
        try {
            return submission.resolve(study.tenantId(), runSpec).spec();
        } catch (ApiException e) {
            List<ApiException.FieldProblem> mapped = new ArrayList<>();
            for (ApiException.FieldProblem p : e.errors()) {
                String path = p.field().startsWith("$.") ? p.field().substring(2) : p.field();
                mapped.add(new ApiException.FieldProblem(params.containsKey(path) ? "$.space['" + path + "']"
                        : "$.base." + path, "trial " + position + " (" + params + "): " + p.message()));
            }
            throw mapped.isEmpty() ? e : ApiException.invalid(mapped);
        }
    }

    Stored stored(Study study) {
        return json.readValue(study.request(), Stored.class);
    }

    Study get(UUID id) {
        return studies.findByIdAndTenantId(id, tenancy.tenantId()).orElseThrow(() -> ApiException.notFound("study", id));
    }

    Page<Study> list(int page, int size) {
        return studies.findByTenantIdOrderByCreatedAtDesc(tenancy.tenantId(), PageRequest.of(page, size));
    }

    StudyView view(Study study) {
        Stored stored = stored(study);
        List<TrialView> views = new ArrayList<>();
        for (Trials.Trial t : trials.of(study.id())) {
            views.add(trialView(study, stored.plan(), t));
        }
        Goal goal = stored.plan().goal();
        TrialView best = views.stream().filter(v -> v.objective() != null && !v.status().equals("FAILED"))
                .min(ranking(goal)).orElse(null);
        return new StudyView(study.id(), study.name(), study.status(), study.reason(), stored.plan().type(), goal,
                stored.plan().rungs(), study.rung(), views, best, study.createdAt(), study.finishedAt());
    }

    /** Best first; trials without a value last. */
    static Comparator<TrialView> ranking(Goal goal) {
        return (a, b) -> {
            if (a.objective() == null || b.objective() == null) {
                return a.objective() == null ? (b.objective() == null ? 0 : 1) : -1;
            }
            return goal.better(a.objective(), b.objective()) ? -1 : goal.better(b.objective(), a.objective()) ? 1
                    : Integer.compare(a.position(), b.position());
        };
    }

    TrialView trialView(Study study, Plan plan, Trials.Trial t) {
        return trialView(plan, t, t.runId() == null ? Optional.empty() : runViews.view(study.tenantId(), t.runId()));
    }

    /** @param run the trial's run as already read, empty when it has none (yet, or any more) */
    TrialView trialView(Plan plan, Trials.Trial t, Optional<RunViews.View> run) {
        if (t.runId() == null) {
            return new TrialView(t.position(), null, t.params(), "QUEUED", 0, null);
        }
        if (run.isEmpty()) {
            return new TrialView(t.position(), t.runId(), t.params(), "FAILED", 0, null);
        }
        RunViews.View r = run.get();
        String status = t.pruned() ? "PRUNED" : r.status() == RunStatus.CANCELLED ? "CANCELLED" : r.status().name();
        return new TrialView(t.position(), t.runId(), t.params(), status, r.epoch(),
                plan.goal().best(feed.epochsAfter(t.runId(), 0)));
    }

    List<TrialView> leaderboard(Study study) {
        StudyView view = view(study);
        List<TrialView> ranked = new ArrayList<>(view.trials());
        ranked.sort(ranking(view.objective()));
        return ranked;
    }

    @Transactional
    Study cancel(UUID id) {
        Study study = get(id);
        if (study.status().terminal()) {
            throw ApiException.conflict("study " + id + " is " + study.status() + " and cannot be cancelled");
        }
        for (Trials.Trial t : trials.of(study.id())) {
            if (t.runId() != null) {
                ledger.prune(t.runId(), "its study was cancelled");
            }
        }
        study.end(StudyStatus.CANCELLED, clock.instant(), "cancelled");
        studies.save(study);
        audit.record("cancel", "study", id);
        return study;
    }

    static Map<String, Object> csvRow(TrialView t) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("position", t.position());
        row.put("runId", t.runId());
        row.put("status", t.status());
        row.put("epochs", t.epochs());
        row.put("objective", t.objective());
        return row;
    }
}
