package io.backprop.datasets;

import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface DatasetDataRepository extends JpaRepository<DatasetData, UUID> {
}
