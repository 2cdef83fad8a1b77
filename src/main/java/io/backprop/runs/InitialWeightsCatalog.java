package io.backprop.runs;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Where initial weights come from; implemented by the weights feature. */
public interface InitialWeightsCatalog {

    /** Tensor shapes of a succeeded run's final weights, empty if it has none. */
    Optional<Map<String, long[]>> runWeightShapes(UUID tenantId, UUID runId);

    /** Tensor shapes of an uploaded weights file, empty if there is none. */
    Optional<Map<String, long[]>> uploadedWeightShapes(UUID tenantId, UUID weightsId);
}
