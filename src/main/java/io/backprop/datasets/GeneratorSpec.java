package io.backprop.datasets;

/**
 * A seeded synthetic dataset. Fields left null take the generator's defaults.
 *
 * @param type     xor, moons, spirals, blobs or classification
 * @param noise    standard deviation of the added Gaussian noise
 */
public record GeneratorSpec(String type, Integer rows, Integer features, Integer classes, Double noise, Long seed) {

    public static final java.util.List<String> TYPES = java.util.List.of("xor", "moons", "spirals", "blobs", "classification");
}
