package io.backprop.runs;

import io.backprop.config.BackpropProperties;
import io.backprop.identity.Audit;
import io.backprop.identity.QuotaGuard;
import io.backprop.web.ApiException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way a run comes to exist, for a request and for a study's trial alike: validated and
 * resolved, admitted by the service's queue cap and the tenant's queued quota, stored and queued.
 */
@Component
public class RunSubmission {

    private final RunRepository runs;
    private final RunSpecResolver resolver;
    private final BackpropProperties properties;
    private final QuotaGuard quotas;
    private final Audit audit;
    private final JsonMapper json;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    RunSubmission(RunRepository runs, RunSpecResolver resolver, BackpropProperties properties, QuotaGuard quotas,
                  Audit audit, JsonMapper json, Clock clock, ApplicationEventPublisher events) {
        this.runs = runs;
        this.resolver = resolver;
        this.properties = properties;
        this.quotas = quotas;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.events = events;
    }

    /** @throws ApiException 422 listing every bad field of the spec */
    public RunSpecResolver.Resolution resolve(UUID tenantId, RunSpec request) {
        return resolver.resolve(tenantId, request);
    }

    /**
     * Stores and queues a resolved run in the caller's transaction.
     *
     * @param scopedKey   the tenant-scoped idempotency key, or null
     * @param epochBudget the epoch a study lets it reach before it waits, or null
     * @throws ApiException 429 when the queue or the tenant's queued quota is full
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Run create(UUID tenantId, RunSpecResolver.Resolution resolution, String scopedKey, String requestHash,
                      Integer epochBudget) {
        if (runs.countByStatus(RunStatus.QUEUED) >= properties.maxQueuedRuns()) {
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "Queue full",
                    "the queue holds " + properties.maxQueuedRuns() + " runs already; retry later",
                    List.of(), Map.of("Retry-After", "30"));
        }
        quotas.admitQueued(tenantId, () -> runs.countByTenantIdAndStatus(tenantId, RunStatus.QUEUED));
        RunSpec spec = resolution.spec();
        Run created = new Run(UUID.randomUUID(), tenantId, spec.name(), spec.tags(), json.writeValueAsString(spec),
                resolution.dataset().uploadedId(), spec.training().epochs(), scopedKey, requestHash, clock.instant());
        created.budget(epochBudget);
        runs.saveAndFlush(created);
        audit.record(tenantId, "create", "run", created.id());
        events.publishEvent(new RunEvent.Queued(created.id()));
        return created;
    }
}
