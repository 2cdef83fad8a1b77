package io.backprop.identity;

import java.util.UUID;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/** Turns a verified JWT into a caller: the tenant (name or id) and the role from configurable claims. */
final class JwtCallers implements Converter<Jwt, AbstractAuthenticationToken> {

    private final TenantDirectory tenants;
    private final SecurityProperties.Jwt settings;

    JwtCallers(TenantDirectory tenants, SecurityProperties.Jwt settings) {
        this.tenants = tenants;
        this.settings = settings;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        String tenant = jwt.getClaimAsString(settings.tenantClaim());
        Role role = Role.ofWire(jwt.getClaimAsString(settings.roleClaim()));
        UUID tenantId = tenant == null ? null : tenants.resolve(tenant).orElse(null);
        if (tenantId == null || role == null) {
            throw new InvalidBearerTokenException("the token's '" + settings.tenantClaim() + "' claim must name a tenant and its '"
                    + settings.roleClaim() + "' claim one of " + Role.wireNames());
        }
        return new CallerAuthentication(new Caller(tenantId, null, "jwt " + jwt.getSubject(), role));
    }
}
