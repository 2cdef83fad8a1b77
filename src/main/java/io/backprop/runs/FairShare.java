package io.backprop.runs;

import io.backprop.identity.QuotaGuard;
import io.backprop.identity.Quotas;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Whose run a free worker trains: the tenant with the fewest running runs goes first (ties: the one
 * whose queued run is oldest), and no tenant runs more than its {@code maxRunningRuns}. db-scheduler
 * hands workers runs oldest first; a run this says no to waits in the queue for another look, so a
 * tenant with a thousand queued runs cannot keep one with a single run waiting.
 */
@Component
class FairShare {

    private final RunRepository runs;
    private final QuotaGuard quotas;

    FairShare(RunRepository runs, QuotaGuard quotas) {
        this.runs = runs;
        this.quotas = quotas;
    }

    /**
     * Whether {@code run} may start now. Locks its tenant's row for the rest of the starting
     * transaction, so two instances cannot both start the tenant's last allowed run.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    boolean mayStart(Run run) {
        Quotas own = quotas.lock(run.tenantId());
        long running = runs.countByTenantIdAndStatus(run.tenantId(), RunStatus.RUNNING);
        if (own.maxRunningRuns() != null && running >= own.maxRunningRuns()) {
            return false;
        }
        for (RunRepository.TenantQueue other : runs.queuedByTenant()) {
            if (other.getTenantId().equals(run.tenantId())) {
                continue;
            }
            Integer otherLimit = quotas.quotas(other.getTenantId()).maxRunningRuns();
            boolean otherMayRun = otherLimit == null || other.getRunning() < otherLimit;
            boolean otherFirst = other.getRunning() < running
                    || (other.getRunning() == running && other.getOldestQueued().isBefore(run.createdAt()));
            if (otherMayRun && otherFirst) {
                return false;
            }
        }
        return true;
    }
}
