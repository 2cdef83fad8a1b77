package io.backprop.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Issues, checks and revokes API keys. A key is {@code bp_<12 hex>_<43 base64url>}: the first part is
 * the lookup prefix stored in clear, the whole key's SHA-256 is stored and compared in constant time.
 * 32 random bytes make a key unguessable, so one unsalted hash is enough (a password needs a slow hash
 * because people choose weak ones; nobody chooses these).
 */
@Service
class ApiKeys {

    /** Keys given in configuration may have any form; their lookup prefix is their first characters. */
    static final int PREFIX_LENGTH = 15;
    static final int MIN_LENGTH = 32;
    /** lastUsedAt is written at most this often per key, so a busy key does not write on every request. */
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final ApiKeyRepository keys;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<UUID, Instant> lastTouched = new ConcurrentHashMap<>();
    private final VerifiedKeys verified;

    ApiKeys(ApiKeyRepository keys, Clock clock, SecurityProperties properties) {
        this.keys = keys;
        this.clock = clock;
        this.verified = new VerifiedKeys(properties.keyCache());
    }

    /** A new key, as shown once to whoever created it. */
    record Issued(UUID id, String key, String prefix, Role role) {
    }

    String generate() {
        byte[] id = new byte[6];
        byte[] secret = new byte[32];
        random.nextBytes(id);
        random.nextBytes(secret);
        return "bp_" + HexFormat.of().formatHex(id) + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    static String prefixOf(String key) {
        return key.substring(0, Math.min(PREFIX_LENGTH, key.length()));
    }

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Transactional
    Issued issue(UUID tenantId, String name, Role role, Instant expiresAt) {
        return store(tenantId, name, role, expiresAt, generate());
    }

    /** Stores a key whose material is given (the configured admin key). */
    @Transactional
    Issued store(UUID tenantId, String name, Role role, Instant expiresAt, String key) {
        ApiKey saved = keys.save(new ApiKey(UUID.randomUUID(), tenantId, name, role, prefixOf(key), hash(key),
                clock.instant(), expiresAt));
        return new Issued(saved.id(), key, saved.prefix(), role);
    }

    /** The caller a bearer token names, or empty when it is unknown, revoked or expired. */
    Optional<Caller> authenticate(String token) {
        if (token.length() < MIN_LENGTH || token.length() > 200) {
            return Optional.empty();
        }
        String hash = hash(token);
        Instant now = clock.instant();
        Optional<Caller> cached = verified.get(hash, now);
        if (cached.isPresent()) {
            touch(cached.get().keyId(), now);
            return cached;
        }
        Optional<ApiKey> found = keys.findByPrefix(prefixOf(token));
        byte[] expected = found.map(k -> k.hash().getBytes(StandardCharsets.US_ASCII)).orElse(new byte[64]);
        boolean matches = MessageDigest.isEqual(expected, hash.getBytes(StandardCharsets.US_ASCII));
        if (found.isEmpty() || !matches || !found.get().activeAt(now)) {
            return Optional.empty();
        }
        ApiKey key = found.get();
        Caller caller = new Caller(key.tenantId(), key.id(), "key " + key.id(), key.role());
        verified.put(hash, caller, key.expiresAt(), now);
        touch(key.id(), now);
        return Optional.of(caller);
    }

    private void touch(UUID keyId, Instant now) {
        Instant touched = lastTouched.get(keyId);
        if (touched == null || Duration.between(touched, now).compareTo(TOUCH_INTERVAL) >= 0) {
            lastTouched.put(keyId, now);
            keys.touch(keyId, now);
        }
    }

    List<ApiKey> ofTenant(UUID tenantId) {
        return keys.findByTenantIdOrderByCreatedAtAsc(tenantId);
    }

    Optional<ApiKey> find(UUID id) {
        return keys.findById(id);
    }

    Optional<ApiKey> withMaterial(String key) {
        return keys.findByHash(hash(key));
    }

    @Transactional
    void revoke(ApiKey key) {
        key.revoke(clock.instant());
        keys.save(key);
        UUID id = key.id();
        // after the commit: until then, a request reads the key as active and may cache it again
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    verified.forget(id);
                }
            });
        } else {
            verified.forget(id);
        }
    }

    boolean none() {
        return keys.count() == 0;
    }
}
