package io.backprop.identity;

import java.lang.System.Logger.Level;
import org.springframework.stereotype.Component;

/**
 * One log line per create, cancel, delete and key change: who (tenant, key) did what to which id.
 * Logged under {@code io.backprop.audit}, so it can be routed on its own.
 */
@Component
public class Audit {

    private static final System.Logger LOG = System.getLogger("io.backprop.audit");
    private final Tenancy tenancy;

    Audit(Tenancy tenancy) {
        this.tenancy = tenancy;
    }

    public void record(String action, String type, Object id) {
        Caller caller = tenancy.caller();
        LOG.log(Level.INFO, "audit tenant=" + caller.tenantId() + " caller=" + safe(caller.subject()) + " action="
                + action + " " + type + "=" + safe(String.valueOf(id)));
    }

    /** A value fit for one log line: control characters (a forged newline, an escape) become '?'. */
    public static String safe(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), 200));
        value.codePoints().limit(200).forEach(c -> out.appendCodePoint(Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT || c == '\u2028' || c == '\u2029' ? '?' : c));
        return out.toString();
    }
}
