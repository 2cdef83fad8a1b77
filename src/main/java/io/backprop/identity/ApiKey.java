package io.backprop.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A stored key: its lookup prefix and the SHA-256 of the whole key, never the key itself. */
@Entity
@Table(name = "api_key")
class ApiKey {

    @Id
    private UUID id;
    @Column(name = "tenant_id")
    private UUID tenantId;
    private String name;
    @Enumerated(EnumType.STRING)
    private Role role;
    private String prefix;
    private String hash;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "expires_at")
    private Instant expiresAt;
    @Column(name = "revoked_at")
    private Instant revokedAt;
    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    protected ApiKey() {
    }

    ApiKey(UUID id, UUID tenantId, String name, Role role, String prefix, String hash, Instant createdAt,
           Instant expiresAt) {
        this.id = id;
        this.tenantId = tenantId;
        this.name = name;
        this.role = role;
        this.prefix = prefix;
        this.hash = hash;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    /** Usable now: neither revoked nor expired. */
    boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    void revoke(Instant now) {
        if (revokedAt == null) {
            revokedAt = now;
        }
    }

    UUID id() {
        return id;
    }

    UUID tenantId() {
        return tenantId;
    }

    String name() {
        return name;
    }

    Role role() {
        return role;
    }

    String prefix() {
        return prefix;
    }

    String hash() {
        return hash;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant expiresAt() {
        return expiresAt;
    }

    Instant revokedAt() {
        return revokedAt;
    }

    Instant lastUsedAt() {
        return lastUsedAt;
    }
}
