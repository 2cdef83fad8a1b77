package io.backprop.identity;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a key may do. {@code admin} manages tenants and keys and is a member of its tenant;
 * {@code member} does everything within its tenant; {@code viewer} only reads; {@code metrics} only
 * scrapes {@code /actuator/prometheus} and {@code /actuator/metrics}.
 */
public enum Role {
    ADMIN, MEMBER, VIEWER, METRICS;

    /** As the API spells it: lower case. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(Role::wire).toList();
    }

    /** Null for anything that is not a role's wire name. */
    public static Role ofWire(String value) {
        return value == null ? null : Arrays.stream(values()).filter(r -> r.wire().equals(value)).findFirst().orElse(null);
    }
}
