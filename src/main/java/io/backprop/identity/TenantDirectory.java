package io.backprop.identity;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Tenant names and ids, for labels and tokens; tenants are never renamed, so names are cached. */
@Component
public class TenantDirectory {

    private final TenantRepository tenants;
    private final ConcurrentHashMap<UUID, String> names = new ConcurrentHashMap<>();

    TenantDirectory(TenantRepository tenants) {
        this.tenants = tenants;
    }

    /** The tenant's name, or its id when it is unknown. */
    public String name(UUID tenantId) {
        String cached = names.get(tenantId);
        if (cached != null) {
            return cached;
        }
        return tenants.findById(tenantId).map(t -> {
            names.put(tenantId, t.name());
            return t.name();
        }).orElse(tenantId.toString());
    }

    /** A tenant named by its name or its id. */
    Optional<UUID> resolve(String nameOrId) {
        try {
            UUID id = UUID.fromString(nameOrId);
            return tenants.findById(id).map(Tenant::id);
        } catch (IllegalArgumentException notAnId) {
            return tenants.findByName(nameOrId).map(Tenant::id);
        }
    }
}
