package io.backprop.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

interface ApiKeyRepository extends Repository<ApiKey, UUID> {

    ApiKey save(ApiKey key);

    @AcrossTenants("the admin revokes any tenant's key by its id")
    Optional<ApiKey> findById(UUID id);

    @AcrossTenants("authentication: the key names its tenant")
    Optional<ApiKey> findByPrefix(String prefix);

    @AcrossTenants("start-up: is the configured key stored already")
    Optional<ApiKey> findByHash(String hash);

    List<ApiKey> findByTenantIdOrderByCreatedAtAsc(UUID tenantId);

    @AcrossTenants("start-up: an empty database gets an admin key")
    long count();

    /** One small update, not a read-modify-write of the entity: requests may race on the same key. */
    @AcrossTenants("authentication: the key that was just checked")
    @Transactional
    @Modifying
    @Query("update ApiKey k set k.lastUsedAt = :at where k.id = :id")
    void touch(@Param("id") UUID id, @Param("at") Instant at);
}
