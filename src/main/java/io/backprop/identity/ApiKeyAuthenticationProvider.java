package io.backprop.identity;

import java.util.Optional;
import org.springframework.dao.DataAccessException;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.transaction.TransactionException;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/** Authenticates a bearer token that is one of our API keys; a JWT (three dot-separated parts) is left to the JWT provider. */
final class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    private final ApiKeys keys;
    private final boolean jwtEnabled;

    ApiKeyAuthenticationProvider(ApiKeys keys, boolean jwtEnabled) {
        this.keys = keys;
        this.jwtEnabled = jwtEnabled;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String token = ((BearerTokenAuthenticationToken) authentication).getToken();
        if (jwtEnabled && token.chars().filter(c -> c == '.').count() == 2) {
            return null;
        }
        Optional<Caller> caller;
        try {
            caller = keys.authenticate(token);
        } catch (DataAccessException | TransactionException e) {
            throw new AuthenticationServiceException("cannot check the key: the database is away", e);
        }
        return caller.map(CallerAuthentication::new)
                .orElseThrow(() -> new InvalidBearerTokenException("unknown, revoked or expired API key"));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
