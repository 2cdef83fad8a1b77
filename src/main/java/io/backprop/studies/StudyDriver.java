package io.backprop.studies;

import io.backprop.config.Poller;
import io.backprop.runs.RunLedger;
import io.backprop.runs.RunViews;
import io.backprop.runs.RunSpec;
import io.backprop.runs.RunSubmission;
import io.backprop.web.ApiException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Advances every running study, once a second on every instance, each study in a transaction of its
 * own: starts trials up to {@code maxConcurrent}, and for successive halving, once every trial of the
 * rung waits at its budget, promotes the best 1/factor to the next rung (they resume from their
 * checkpoints) and prunes the rest. Everything it decides from is in the database, so any instance may
 * take the next step; two taking it at once collide on the study's version, or on a trial already
 * claimed, and one rolls back.
 */
@Component
class StudyDriver implements SmartLifecycle {

    private static final System.Logger LOG = System.getLogger(StudyDriver.class.getName());

    private final StudyRepository studies;
    private final Trials trials;
    private final StudyService service;
    private final RunSubmission submission;
    private final RunLedger ledger;
    private final RunViews views;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Poller poller = new Poller("study-driver", Duration.ofSeconds(1), this::tick);

    StudyDriver(StudyRepository studies, Trials trials, StudyService service, RunSubmission submission, RunLedger ledger,
                RunViews views,
                TransactionTemplate tx, ApplicationEventPublisher events, Clock clock) {
        this.studies = studies;
        this.trials = trials;
        this.service = service;
        this.submission = submission;
        this.ledger = ledger;
        this.views = views;
        this.tx = tx;
        this.events = events;
        this.clock = clock;
    }

    void tick() {
        for (Study s : studies.findByStatus(StudyStatus.RUNNING)) {
            try {
                tx.executeWithoutResult(status -> advance(s.id()));
            } catch (RuntimeException e) {
                // another instance took this step, a quota is full, or a paused attempt is still finishing
                LOG.log(Level.DEBUG, "study " + s.id() + " not advanced this time: " + e);
            }
        }
    }

    private void advance(UUID id) {
        Study study = studies.findById(id).orElse(null);
        if (study == null || study.status().terminal()) {
            return;
        }
        StudyService.Stored stored = service.stored(study);
        Plan plan = stored.plan();
        List<Trials.Trial> all = trials.of(id);
        Map<Integer, RunViews.View> runs = new HashMap<>();
        for (Trials.Trial t : all) {
            if (t.runId() != null) {
                views.view(study.tenantId(), t.runId()).ifPresent(v -> runs.put(t.position(), v));
            }
        }
        List<Trials.Trial> alive = all.stream().filter(t -> !t.pruned()).toList();
        long active = alive.stream().filter(t -> runs.containsKey(t.position()) && runs.get(t.position()).status().active()
                && !runs.get(t.position()).waitingForStudy()).count();
        for (Trials.Trial t : alive) {
            if (t.runId() == null && active < plan.maxConcurrent()) {
                start(study, stored, t, plan.budget(0));
                active++;
            }
        }
        boolean rungDone = alive.stream().allMatch(t -> runs.containsKey(t.position())
                && (runs.get(t.position()).status().terminal() || runs.get(t.position()).waitingForStudy()));
        if (!rungDone) {
            return;
        }
        if (plan.lastRung(study.rung())) {
            finish(study, plan, all);
            return;
        }
        List<StudyService.TrialView> ranked = new ArrayList<>();
        for (Trials.Trial t : alive) {
            StudyService.TrialView v = service.trialView(plan, t, Optional.ofNullable(runs.get(t.position())));
            if (!v.status().equals("FAILED") && !v.status().equals("CANCELLED")) {
                ranked.add(v);
            }
        }
        ranked.sort(StudyService.ranking(plan.goal()));
        int keep = Math.max(1, alive.size() / plan.factor());
        Integer next = plan.budget(study.rung() + 1);
        for (int i = 0; i < ranked.size(); i++) {
            StudyService.TrialView v = ranked.get(i);
            if (!runs.get(v.position()).waitingForStudy()) {
                continue;
            }
            if (i < keep) {
                if (!ledger.promote(v.runId(), next)) {
                    throw new IllegalStateException("trial " + v.position() + " is no longer waiting");
                }
            } else {
                trials.pruned(id, v.position());
                ledger.prune(v.runId(), "pruned by study " + id + " at rung " + (study.rung() + 1) + " (" + runs.get(v.position()).epoch()
                        + " epochs): not in the best " + keep + " of " + alive.size());
                events.publishEvent(new StudyEvent.TrialPruned(id, v.runId()));
            }
        }
        study.nextRung();
        studies.save(study);
    }

    private void start(Study study, StudyService.Stored stored, Trials.Trial t, Integer budget) {
        RunSpec spec = service.trialSpec(study, stored.request(), t.params(), t.position());
        UUID runId;
        try {
            runId = submission.create(study.tenantId(), submission.resolve(study.tenantId(), spec), null, null, budget).id();
        } catch (ApiException full) {
            throw new IllegalStateException("trial " + t.position() + " waits: " + full.getMessage());
        }
        if (!trials.claim(study.id(), t.position(), runId)) {
            // the rollback takes the run just created with it
            throw new IllegalStateException("trial " + t.position() + " was started elsewhere");
        }
    }

    private void finish(Study study, Plan plan, List<Trials.Trial> all) {
        Optional<StudyService.TrialView> best = all.stream().map(t -> service.trialView(study, plan, t))
                .filter(v -> v.status().equals("SUCCEEDED") && v.objective() != null)
                .min(StudyService.ranking(plan.goal()).thenComparing(Comparator.comparingInt(StudyService.TrialView::position)));
        if (best.isPresent()) {
            study.end(StudyStatus.SUCCEEDED, clock.instant(), "best trial " + best.get().position() + " (run "
                    + best.get().runId() + "): " + plan.goal().metric() + " " + best.get().objective());
        } else {
            study.end(StudyStatus.FAILED, clock.instant(), "no trial succeeded");
        }
        studies.save(study);
    }

    @Override
    public void start() {
        poller.start();
    }

    @Override
    public void stop() {
        poller.stop();
    }

    @Override
    public boolean isRunning() {
        return poller.running();
    }
}
