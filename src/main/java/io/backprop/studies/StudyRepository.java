package io.backprop.studies;

import io.backprop.identity.AcrossTenants;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.Repository;

/** Studies, looked up within their tenant except by the driver that advances every running study. */
interface StudyRepository extends Repository<Study, UUID> {

    Study save(Study study);

    Study saveAndFlush(Study study);

    Optional<Study> findByIdAndTenantId(UUID id, UUID tenantId);

    Page<Study> findByTenantIdOrderByCreatedAtDesc(UUID tenantId, Pageable pageable);

    @AcrossTenants("the driver advances every tenant's running studies")
    List<Study> findByStatus(StudyStatus status);

    @AcrossTenants("the driver re-reads the study it is advancing")
    Optional<Study> findById(UUID id);

    @AcrossTenants("the studies-by-status gauge")
    long countByStatus(StudyStatus status);
}
