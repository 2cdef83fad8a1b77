package io.backprop.identity;

import io.backprop.web.ApiException;
import io.backprop.web.FieldErrors;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Tenants and their keys, as the admin endpoints manage them. */
@Service
class TenantService {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final TenantRepository tenants;
    private final ApiKeys keys;
    private final QuotaGuard quotas;
    private final RunCounts runs;
    private final Audit audit;
    private final Clock clock;

    TenantService(TenantRepository tenants, ApiKeys keys, QuotaGuard quotas, RunCounts runs, Audit audit, Clock clock) {
        this.tenants = tenants;
        this.keys = keys;
        this.quotas = quotas;
        this.runs = runs;
        this.audit = audit;
        this.clock = clock;
    }

    record Usage(long queuedRuns, long runningRuns, long storageBytes) {
    }

    @Transactional
    Tenant create(String name, Quotas requested) {
        FieldErrors errors = new FieldErrors();
        if (name == null || !NAME.matcher(name).matches()) {
            errors.add("$.name", "must be 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        Quotas q = requested == null ? Quotas.NONE : requested;
        nonNegative(errors, "$.quotas.maxQueuedRuns", q.maxQueuedRuns());
        nonNegative(errors, "$.quotas.maxRunningRuns", q.maxRunningRuns());
        nonNegative(errors, "$.quotas.maxStorageBytes", q.maxStorageBytes());
        errors.throwIfAny();
        if (tenants.existsByName(name)) {
            throw ApiException.conflict("a tenant named '" + name + "' exists already");
        }
        Tenant tenant = tenants.save(new Tenant(UUID.randomUUID(), name, q, clock.instant()));
        audit.record("create", "tenant", tenant.id());
        return tenant;
    }

    private static void nonNegative(FieldErrors errors, String path, Number value) {
        if (value != null && value.longValue() < 0) {
            errors.add(path, "must be >= 0, or absent for no limit");
        }
    }

    List<Tenant> list() {
        return tenants.findAllByOrderByCreatedAtAsc();
    }

    Tenant get(UUID id) {
        return tenants.findById(id).orElseThrow(() -> ApiException.notFound("tenant", id));
    }

    ApiKeys.Issued issueKey(UUID tenantId, String name, String role, Instant expiresAt) {
        get(tenantId);
        FieldErrors errors = new FieldErrors();
        if (name == null || name.isBlank() || name.length() > 100) {
            errors.add("$.name", "must be 1 to 100 characters");
        }
        Role parsed = Role.ofWire(role);
        if (parsed == null) {
            errors.add("$.role", "must be one of " + Role.wireNames());
        }
        if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
            errors.add("$.expiresAt", "must be in the future");
        }
        errors.throwIfAny();
        ApiKeys.Issued issued = keys.issue(tenantId, name, parsed, expiresAt);
        audit.record("create", "key", issued.id());
        return issued;
    }

    List<ApiKey> keys(UUID tenantId) {
        get(tenantId);
        return keys.ofTenant(tenantId);
    }

    void revokeKey(UUID keyId) {
        ApiKey key = keys.find(keyId).orElseThrow(() -> ApiException.notFound("key", keyId));
        keys.revoke(key);
        audit.record("revoke", "key", keyId);
    }

    Usage usage(UUID tenantId) {
        get(tenantId);
        return new Usage(runs.queued(tenantId), runs.running(tenantId), quotas.storageBytes(tenantId));
    }
}
