package io.backprop.models;

import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface UploadedWeightsRepository extends JpaRepository<UploadedWeights, UUID> {
}
