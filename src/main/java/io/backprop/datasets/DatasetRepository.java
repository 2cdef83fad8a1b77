package io.backprop.datasets;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

/** Uploaded datasets, always looked up within their tenant. */
interface DatasetRepository extends JpaRepository<Dataset, UUID> {

    Optional<Dataset> findByIdAndTenantId(UUID id, UUID tenantId);

    Page<Dataset> findByTenantId(UUID tenantId, Pageable pageable);
}
