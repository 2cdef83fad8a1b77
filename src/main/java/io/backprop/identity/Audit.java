package io.backprop.identity;

import io.backprop.config.LogSafe;
import java.lang.System.Logger.Level;
import java.util.UUID;
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
        log(caller.tenantId(), caller.subject(), action, type, id);
    }

    /**
     * For what is done for {@code tenantId} in a request or outside one (a study's driver starting its
     * trials): the tenant given, and the caller only when a request of that tenant is doing it.
     */
    public void record(UUID tenantId, String action, String type, Object id) {
        Caller caller = tenancy.caller();
        boolean inRequest = caller != Caller.UNSECURED && caller.tenantId().equals(tenantId);
        log(tenantId, inRequest ? caller.subject() : "system", action, type, id);
    }

    private static void log(UUID tenantId, String subject, String action, String type, Object id) {
        LOG.log(Level.INFO, "audit tenant=" + tenantId + " caller=" + LogSafe.of(subject) + " action="
                + action + " " + type + "=" + LogSafe.of(String.valueOf(id)));
    }
}
