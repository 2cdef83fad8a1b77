package io.backprop.datasets;

import io.backprop.config.BackpropProperties;

/** What a dataset upload may hold, from {@code backprop.*}; checked while parsing, before allocating for it. */
record DatasetLimits(int maxFeatures, int maxClasses, int maxCellLength, int maxLineLength) {

    /** For the built-in datasets shipped with the service, which are trusted. */
    static final DatasetLimits BUILT_IN = new DatasetLimits(100_000, 10_000, 1000, 1 << 20);

    static DatasetLimits of(BackpropProperties p) {
        return new DatasetLimits(p.maxFeatures(), p.maxClasses(), p.maxCellLength(), p.maxLineLength());
    }
}
