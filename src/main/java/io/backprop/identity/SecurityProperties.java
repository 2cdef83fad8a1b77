package io.backprop.identity;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Identity settings, under {@code backprop.security.*}.
 *
 * @param enabled        false turns authentication off for a single-user machine: every request acts
 *                       as the admin of tenant {@code default}
 * @param adminKey       the admin key of tenant {@code default} (at least 32 characters); without it,
 *                       the first start on an empty database generates one into {@code adminKeyFile}
 * @param adminKeyFile   where a generated admin key is written, readable by its owner only
 * @param metricsKey     a key of role {@code metrics} in tenant {@code default}, for a Prometheus that
 *                       scrapes with a key read from a file (at least 32 characters)
 * @param allowedOrigins origins that browsers may call the API from; none by default
 * @param jwt            optional second mode: OAuth2 JWT access tokens
 * @param keyCache       how long a key this instance verified is trusted without the database (0: ask
 *                       on every request); a key revoked through another instance works here until then
 */
@ConfigurationProperties("backprop.security")
public record SecurityProperties(@DefaultValue("true") boolean enabled, String adminKey,
                                 @DefaultValue("data/admin-key") Path adminKeyFile, String metricsKey,
                                 @DefaultValue List<String> allowedOrigins, @DefaultValue Jwt jwt,
                                 @DefaultValue("10s") Duration keyCache) {

    /**
     * @param issuerUri   an OpenID issuer whose keys sign the tokens (discovered from it)
     * @param publicKey   or a PEM RSA public key that signs them (a file location such as
     *                    {@code file:/etc/backprop/jwt.pem})
     * @param tenantClaim the claim naming the tenant (its name or id)
     * @param roleClaim   the claim naming the role
     */
    public record Jwt(String issuerUri, String publicKey, @DefaultValue("tenant") String tenantClaim,
                      @DefaultValue("role") String roleClaim) {

        boolean enabled() {
            return (issuerUri != null && !issuerUri.isBlank()) || (publicKey != null && !publicKey.isBlank());
        }
    }
}
