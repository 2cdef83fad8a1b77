package io.backprop.models;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

/** Uploaded weights files, always looked up within their tenant. */
interface UploadedWeightsRepository extends JpaRepository<UploadedWeights, UUID> {

    Optional<UploadedWeights> findByIdAndTenantId(UUID id, UUID tenantId);
}
