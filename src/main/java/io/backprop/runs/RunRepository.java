package io.backprop.runs;

import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

interface RunRepository extends JpaRepository<Run, UUID>, JpaSpecificationExecutor<Run> {

    Optional<Run> findByIdempotencyKey(String key);

    long countByStatus(RunStatus status);

    boolean existsByDatasetIdAndStatusIn(UUID datasetId, Collection<RunStatus> statuses);
}
