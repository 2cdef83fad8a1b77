package io.backprop.runs;

import io.backprop.identity.AcrossTenants;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Query;

/** Runs, always looked up within a tenant except where a worker was handed a run by id. */
interface RunRepository extends JpaRepository<Run, UUID>, JpaSpecificationExecutor<Run> {

    Optional<Run> findByIdAndTenantId(UUID id, UUID tenantId);

    Optional<Run> findByTenantIdAndIdempotencyKey(UUID tenantId, String scopedKey);

    long countByTenantIdAndStatus(UUID tenantId, RunStatus status);

    default Page<Run> findAllOfTenant(UUID tenantId, Specification<Run> where, Pageable pageable) {
        return findAll(where.and((root, query, cb) -> cb.equal(root.get("tenantId"), tenantId)), pageable);
    }

    @Override
    @AcrossTenants("a worker or the scheduler handed a run by its id")
    Optional<Run> findById(UUID id);

    @AcrossTenants("the service-wide cap on queued runs")
    long countByStatus(RunStatus status);

    @AcrossTenants("a dataset id is one tenant's; its owner has been checked before")
    boolean existsByDatasetIdAndStatusIn(UUID datasetId, Collection<RunStatus> statuses);

    /** Per tenant with queued runs: its running runs and the creation time of its oldest queued run. */
    @AcrossTenants("fair dispatch compares the tenants")
    @Query("""
            select q.tenantId as tenantId, min(q.createdAt) as oldestQueued,
                   (select count(r) from Run r where r.tenantId = q.tenantId and r.status = io.backprop.runs.RunStatus.RUNNING) as running
            from Run q where q.status = io.backprop.runs.RunStatus.QUEUED group by q.tenantId""")
    List<TenantQueue> queuedByTenant();

    interface TenantQueue {
        UUID getTenantId();

        Instant getOldestQueued();

        long getRunning();
    }
}
