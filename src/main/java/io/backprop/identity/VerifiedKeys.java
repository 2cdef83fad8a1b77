package io.backprop.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys this instance checked against the database lately, by their SHA-256, trusted for
 * {@code backprop.security.key-cache} without asking again. The lookup was a fifth of a status read's
 * CPU (a profile of {@code GET /runs/{id}} under wrk). Only keys that matched are kept, so unknown
 * tokens cannot fill it; an entry never outlives its key's expiry; a revocation on this instance forgets
 * the key at once, one on another instance is seen here within the cache's duration.
 */
final class VerifiedKeys {

    /** Beyond this many keys the cache starts over: far more keys than one instance serves at once. */
    static final int CAPACITY = 10_000;

    private record Entry(Caller caller, UUID keyId, Instant until) {
    }

    private final Duration ttl;
    private final ConcurrentHashMap<String, Entry> byHash = new ConcurrentHashMap<>();

    VerifiedKeys(Duration ttl) {
        this.ttl = ttl;
    }

    Optional<Caller> get(String hash, Instant now) {
        Entry e = byHash.get(hash);
        if (e == null) {
            return Optional.empty();
        }
        if (!now.isBefore(e.until())) {
            byHash.remove(hash, e);
            return Optional.empty();
        }
        return Optional.of(e.caller());
    }

    void put(String hash, ApiKey key, Caller caller, Instant now) {
        if (ttl.isZero() || ttl.isNegative()) {
            return;
        }
        Instant until = now.plus(ttl);
        if (key.expiresAt() != null && key.expiresAt().isBefore(until)) {
            until = key.expiresAt();
        }
        if (byHash.size() >= CAPACITY) {
            byHash.clear();
        }
        byHash.put(hash, new Entry(caller, key.id(), until));
    }

    void forget(UUID keyId) {
        byHash.values().removeIf(e -> e.keyId().equals(keyId));
    }
}
