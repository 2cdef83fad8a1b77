package io.backprop.datasets;

import com.fasterxml.jackson.annotation.JsonValue;

/** What the labels mean. */
public enum Task {
    CLASSIFICATION, REGRESSION;

    @JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @return null when {@code id} names no task */
    public static Task fromId(String id) {
        for (Task t : values()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        return null;
    }
}
