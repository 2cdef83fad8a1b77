package io.backprop.identity;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import java.util.UUID;

/** The caller of the current request, for the features that scope their data by tenant. */
@Component
public class Tenancy {

    private final boolean enabled;

    Tenancy(SecurityProperties properties) {
        this.enabled = properties.enabled();
    }

    /**
     * The authenticated caller. Outside a request (a worker) or with security off, the admin of tenant
     * {@code default}; with security on, only the endpoints that need no key run without a caller, and
     * none of them reads tenant data.
     */
    public Caller caller() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof Caller caller) {
            return caller;
        }
        if (enabled && auth != null && auth.isAuthenticated() && !"anonymousUser".equals(auth.getPrincipal())) {
            throw new IllegalStateException("unexpected authentication " + auth.getClass().getName());
        }
        return Caller.UNSECURED;
    }

    public UUID tenantId() {
        return caller().tenantId();
    }
}
