package io.backprop.identity;

import java.util.UUID;

/**
 * Whoever sent the current request: the tenant it acts for, the key (or token subject) it showed, and
 * its role.
 *
 * @param keyId the API key's id, or null for a JWT or when security is off
 * @param subject how the audit log names the caller: the key's id, the token's subject, or "anonymous"
 */
public record Caller(UUID tenantId, UUID keyId, String subject, Role role) {

    /** The built-in tenant that owns everything created before tenants existed, and the admin's. */
    public static final UUID DEFAULT_TENANT = UUID.fromString("00000000-0000-0000-0000-000000000001");

    /** The only caller when {@code backprop.security.enabled=false}. */
    static final Caller UNSECURED = new Caller(DEFAULT_TENANT, null, "anonymous", Role.ADMIN);
}
