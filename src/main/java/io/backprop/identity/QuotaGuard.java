package io.backprop.identity;

import io.backprop.web.ApiException;
import java.util.List;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A tenant's quotas, checked under a lock on the tenant's row so that concurrent requests, on this
 * instance or another, cannot both take the last unit: each check runs in the caller's transaction and
 * holds the lock until it commits what it checked for.
 */
@Service
public class QuotaGuard {

    private final TenantRepository tenants;
    private final List<StorageMeter> meters;

    QuotaGuard(TenantRepository tenants, List<StorageMeter> meters) {
        this.tenants = tenants;
        this.meters = meters;
    }

    /** Locks the tenant's row for the rest of the transaction and returns its quotas. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Quotas lock(UUID tenantId) {
        return tenants.lock(tenantId).map(Tenant::quotas).orElse(Quotas.NONE);
    }

    /** The tenant's quotas, without a lock. */
    public Quotas quotas(UUID tenantId) {
        return tenants.findById(tenantId).map(Tenant::quotas).orElse(Quotas.NONE);
    }

    /**
     * 429 when one more queued run would exceed the tenant's {@code maxQueuedRuns}; the queued runs are
     * counted under the lock.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void admitQueued(UUID tenantId, LongSupplier queued) {
        Integer limit = lock(tenantId).maxQueuedRuns();
        if (limit == null) {
            return;
        }
        long queuedNow = queued.getAsLong();
        if (queuedNow >= limit) {
            throw ApiException.quotaExceeded("maxQueuedRuns", limit, queuedNow, "the tenant has " + queuedNow
                    + " queued runs, its quota; retry when some have started", 30);
        }
    }

    /** 429 when {@code incomingBytes} more would exceed the tenant's {@code maxStorageBytes}. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void admitStorage(UUID tenantId, long incomingBytes) {
        Long limit = lock(tenantId).maxStorageBytes();
        if (limit == null) {
            return;
        }
        long used = storageBytes(tenantId);
        if (used + incomingBytes > limit) {
            throw ApiException.quotaExceeded("maxStorageBytes", limit, used, "storing " + incomingBytes
                    + " more bytes would exceed the tenant's storage quota; delete datasets, weights or runs first", null);
        }
    }

    public long storageBytes(UUID tenantId) {
        return meters.stream().mapToLong(m -> m.storageBytes(tenantId)).sum();
    }
}
