package io.backprop.datasets;

import java.util.UUID;

/** Which data a run trains on: exactly one of an uploaded dataset, a built-in, or a generator. */
public record DatasetRef(UUID id, String builtin, GeneratorSpec generator) {
}
