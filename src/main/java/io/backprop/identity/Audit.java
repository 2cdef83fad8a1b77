package io.backprop.identity;

import io.backprop.config.LogSafe;
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
        LOG.log(Level.INFO, "audit tenant=" + caller.tenantId() + " caller=" + LogSafe.of(caller.subject()) + " action="
                + action + " " + type + "=" + LogSafe.of(String.valueOf(id)));
    }
}
