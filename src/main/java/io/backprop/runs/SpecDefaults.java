package io.backprop.runs;

import java.util.Optional;

/** The one way the rules fill a default. */
final class SpecDefaults {

    private SpecDefaults() {
    }

    static Optional<Double> opt(Double d) {
        return Optional.ofNullable(d);
    }

    static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
