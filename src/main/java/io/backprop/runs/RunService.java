package io.backprop.runs;

import io.backprop.config.Digests;
import io.backprop.identity.Audit;
import io.backprop.identity.Tenancy;
import io.backprop.web.ApiException;
import jakarta.persistence.criteria.MapJoin;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Submitting, reading, cancelling and deleting runs. */
@Service
class RunService {

    private final RunRepository runs;
    private final RunStore store;
    private final RunSubmission submission;
    private final JsonMapper json;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final Tenancy tenancy;
    private final Audit audit;
    private final RunFeed feed;

    RunService(RunRepository runs, RunStore store, RunSubmission submission, JsonMapper json, Clock clock,
               TransactionTemplate tx, ApplicationEventPublisher events, Tenancy tenancy, Audit audit, RunFeed feed) {
        this.runs = runs;
        this.store = store;
        this.submission = submission;
        this.json = json;
        this.clock = clock;
        this.tx = tx;
        this.events = events;
        this.tenancy = tenancy;
        this.audit = audit;
        this.feed = feed;
    }

    record Submitted(Run run, boolean replayed) {
    }

    RunSpec dryRun(RunSpec request) {
        return submission.resolve(tenancy.tenantId(), request).spec();
    }

    /**
     * Validates, stores and queues a run in one transaction. With an idempotency key, a retry of the
     * same body returns the run it created; another body under the same key is a 422.
     */
    Submitted submit(RunSpec request, String idempotencyKey) {
        UUID tenant = tenancy.tenantId();
        String hash = Digests.sha256(json.writeValueAsBytes(request));
        if (idempotencyKey != null) {
            if (idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
                throw ApiException.invalid("Idempotency-Key", "must be 1 to 200 characters");
            }
            Optional<Submitted> replay = replay(tenant, idempotencyKey, hash);
            if (replay.isPresent()) {
                return replay.get();
            }
        }
        RunSpecResolver.Resolution resolution = submission.resolve(tenant, request);
        try {
            Run run = tx.execute(status -> submission.create(tenant, resolution, scoped(tenant, idempotencyKey), hash, null));
            return new Submitted(run, false);
        } catch (DataIntegrityViolationException e) {
            if (idempotencyKey != null) {
                return replay(tenant, idempotencyKey, hash).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    /** Idempotency keys are the tenant's own: stored with its id in front, unique across the table. */
    private static String scoped(UUID tenant, String key) {
        return key == null ? null : tenant + ":" + key;
    }

    private Optional<Submitted> replay(UUID tenant, String key, String hash) {
        return runs.findByTenantIdAndIdempotencyKey(tenant, scoped(tenant, key)).map(existing -> {
            if (!hash.equals(existing.requestHash())) {
                throw ApiException.invalid("Idempotency-Key", "was used before with a different request body");
            }
            return new Submitted(existing, true);
        });
    }

    Run get(UUID id) {
        return runs.findByIdAndTenantId(id, tenancy.tenantId()).orElseThrow(() -> ApiException.notFound("run", id));
    }

    RunSpec spec(Run run) {
        return json.readValue(run.spec(), RunSpec.class);
    }

    Page<Run> list(RunStatus status, String name, String tag, int page, int size) {
        Specification<Run> where = (root, query, cb) -> cb.conjunction();
        if (status != null) {
            where = where.and((root, query, cb) -> cb.equal(root.get("status"), status));
        }
        if (name != null) {
            where = where.and((root, query, cb) -> cb.equal(root.get("name"), name));
        }
        if (tag != null) {
            int colon = tag.indexOf(':');
            if (colon <= 0) {
                throw ApiException.invalid("tag", "must be key:value");
            }
            String key = tag.substring(0, colon);
            String value = tag.substring(colon + 1);
            where = where.and((root, query, cb) -> {
                MapJoin<Run, String, String> tags = root.joinMap("tags");
                return cb.and(cb.equal(tags.key(), key), cb.equal(tags.value(), value));
            });
        }
        return runs.findAllOfTenant(tenancy.tenantId(), where, PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt")
                .and(Sort.by(Sort.Direction.DESC, "id"))));
    }

    /**
     * A queued run is cancelled at once; a running one stops at its next batch. A worker may be starting
     * the run at that very moment: then the cancel is tried again on what the worker wrote.
     */
    Run cancel(UUID id) {
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.execute(status -> cancelOnce(id));
            } catch (OptimisticLockingFailureException raced) {
                if (attempt == 3) {
                    throw raced;
                }
            }
        }
    }

    private Run cancelOnce(UUID id) {
        Run run = get(id);
        if (run.status() == RunStatus.QUEUED) {
            run.moveTo(RunStatus.CANCELLED, clock.instant(), "cancelled while queued");
            events.publishEvent(RunEvent.Ended.of(run));
            audit.record("cancel", "run", id);
            return run;
        }
        if (run.status() == RunStatus.RUNNING) {
            store.requestCancel(id);
            events.publishEvent(new RunEvent.CancelRequested(id));
            audit.record("cancel", "run", id);
            return run;
        }
        throw ApiException.conflict("run " + id + " is " + run.status() + " and cannot be cancelled");
    }

    @Transactional
    void delete(UUID id) {
        Run run = get(id);
        if (run.status().active()) {
            throw ApiException.conflict("run " + id + " is " + run.status() + "; cancel it before deleting");
        }
        runs.delete(run);
        audit.record("delete", "run", id);
    }

    /**
     * A weak validator for the run's status and history responses, from one small query; what it does not
     * cover (the ETA, computed from the clock) may be stale by a poll.
     */
    Owned owned(UUID id) {
        String version = feed.version(tenancy.tenantId(), id).orElseThrow(() -> ApiException.notFound("run", id));
        return new Owned(id, "W/\"" + version + "\"");
    }

    /** A run found to be the caller's, with its validator: what the history reads below need as proof. */
    record Owned(UUID id, String etag) {
    }

    List<MetricRows.Epoch> epochs(Owned run) {
        return feed.epochsAfter(run.id(), 0);
    }

    List<MetricRows.Step> steps(Owned run, long after, int limit) {
        return feed.stepsAfter(run.id(), after, limit);
    }

    /** At most {@code points} steps of {@code from}..{@code to} that keep the curve's shape. */
    List<MetricRows.Step> sampledSteps(Owned run, long from, long to, int points) {
        return feed.sampledSteps(run.id(), from, to, points);
    }
}
