package io.backprop.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys this instance checked against the database lately, by their SHA-256, trusted for
 * {@code backprop.security.key-cache} without asking again. Measured under wrk on {@code GET /runs/{id}}
 * (2026-12-02, 2 cores), the lookup was three quarters of a status read's CPU: 994-1,092 µs a read
 * without the cache, 249-288 µs with it. Only keys that matched are kept, so unknown
 * tokens cannot fill it; an entry never outlives its key's expiry; a revocation on this instance forgets
 * the key at once, one on another instance is seen here within the cache's duration.
 */
final class VerifiedKeys {

    /** Beyond this many keys the cache starts over: far more keys than one instance serves at once. */
    static final int CAPACITY = 10_000;

    private record Entry(Caller caller, Instant until) {
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

    /** @param expiresAt the key's own expiry, or null when it has none */
    void put(String hash, Caller caller, Instant expiresAt, Instant now) {
        if (ttl.isZero() || ttl.isNegative()) {
            return;
        }
        Instant until = now.plus(ttl);
        if (expiresAt != null && expiresAt.isBefore(until)) {
            until = expiresAt;
        }
        if (byHash.size() >= CAPACITY) {
            byHash.clear();
        }
        byHash.put(hash, new Entry(caller, until));
    }

    void forget(UUID keyId) {
        byHash.values().removeIf(e -> e.caller().keyId().equals(keyId));
    }
}
