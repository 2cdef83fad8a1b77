package io.backprop.weights;

import io.backprop.models.TrainedModel;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed models for predictions, least recently used first out, bounded by the bytes their parameters
 * take ({@code backprop.model-cache-bytes}) rather than by a count: one 400 MB model and fifty small
 * ones are not the same load. A model larger than the whole cache is served but not kept.
 */
final class ModelCache {

    private record Entry(TrainedModel model, long bytes) {
    }

    private final long capacity;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long used;

    ModelCache(long capacity) {
        this.capacity = capacity;
    }

    synchronized TrainedModel get(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.model();
    }

    synchronized void put(String key, TrainedModel model, long bytes) {
        if (bytes > capacity || entries.containsKey(key)) {
            return;
        }
        for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); used + bytes > capacity && it.hasNext(); ) {
            used -= it.next().getValue().bytes();
            it.remove();
        }
        entries.put(key, new Entry(model, bytes));
        used += bytes;
    }
}
