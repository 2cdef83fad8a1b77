package io.backprop.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    private static final Instant T0 = Instant.parse("2026-12-02T12:00:00Z");

    private final ApiKeyRepository repository = mock(ApiKeyRepository.class);
    private final Clock clock = mock(Clock.class);

    private ApiKeys keys(Duration cache) {
        when(clock.instant()).thenReturn(T0);
        return new ApiKeys(repository, clock, new SecurityProperties(true, null, null, null, List.of(), null, cache));
    }

    private String stored(ApiKeys keys, Instant expiresAt) {
        String key = keys.generate();
        ApiKey entity = new ApiKey(UUID.randomUUID(), UUID.randomUUID(), "k", Role.MEMBER, ApiKeys.prefixOf(key),
                ApiKeys.hash(key), T0, expiresAt);
        when(repository.findByPrefix(ApiKeys.prefixOf(key))).thenReturn(Optional.of(entity));
        when(repository.findById(entity.id())).thenReturn(Optional.of(entity));
        return key;
    }

    @Test
    void aVerifiedKeyIsTrustedWithoutTheDatabaseForTheCachesDuration() {
        ApiKeys keys = keys(Duration.ofSeconds(10));
        String key = stored(keys, null);
        Caller first = keys.authenticate(key).orElseThrow();
        when(clock.instant()).thenReturn(T0.plusSeconds(9));
        assertThat(keys.authenticate(key)).contains(first);
        verify(repository, times(1)).findByPrefix(anyString());

        when(clock.instant()).thenReturn(T0.plusSeconds(10));
        assertThat(keys.authenticate(key)).contains(first);
        verify(repository, times(2)).findByPrefix(anyString());
    }

    @Test
    void aCachedKeyIsRefusedOnceItExpiresOrIsRevokedHere() {
        ApiKeys keys = keys(Duration.ofSeconds(10));
        String expiring = stored(keys, T0.plusSeconds(3));
        assertThat(keys.authenticate(expiring)).isPresent();
        when(clock.instant()).thenReturn(T0.plusSeconds(3));
        assertThat(keys.authenticate(expiring)).isEmpty();

        String revoked = stored(keys, null);
        Caller caller = keys.authenticate(revoked).orElseThrow();
        keys.revoke(keys.find(caller.keyId()).orElseThrow());
        assertThat(keys.authenticate(revoked)).isEmpty();
    }

    @Test
    void aWrongSecretWithAKnownPrefixIsNeitherAcceptedNorCached() {
        ApiKeys keys = keys(Duration.ofSeconds(10));
        String key = stored(keys, null);
        String forged = key.substring(0, key.length() - 4) + (key.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThat(keys.authenticate(forged)).isEmpty();
        assertThat(keys.authenticate(forged)).isEmpty();
        verify(repository, times(2)).findByPrefix(anyString());
    }

    @Test
    void aZeroCacheAsksTheDatabaseEveryTime() {
        ApiKeys keys = keys(Duration.ZERO);
        String key = stored(keys, null);
        assertThat(keys.authenticate(key)).isPresent();
        assertThat(keys.authenticate(key)).isPresent();
        verify(repository, times(2)).findByPrefix(anyString());
    }
}
