package io.backprop.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** The datasets shipped in {@code src/main/resources/datasets}, parsed once and kept. */
@Component
class BuiltinDatasets {

    static final List<String> NAMES = List.of("iris", "digits", "wine", "breast_cancer", "diabetes");

    private final Map<String, DatasetTable> cache = new ConcurrentHashMap<>();

    boolean exists(String name) {
        return NAMES.contains(name);
    }

    DatasetTable load(String name) {
        return cache.computeIfAbsent(name, n -> {
            try (InputStream in = getClass().getResourceAsStream("/datasets/" + n + ".csv")) {
                if (in == null) {
                    throw new IllegalStateException("built-in dataset missing from the build: " + n);
                }
                Task task = "diabetes".equals(n) ? Task.REGRESSION : Task.CLASSIFICATION;
                return CsvDatasetParser.parse(in, null, task, DatasetLimits.BUILT_IN);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
