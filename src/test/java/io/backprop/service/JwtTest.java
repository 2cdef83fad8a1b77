package io.backprop.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The optional second mode: OAuth2 access tokens signed by an RSA key the service is configured with,
 * tenant and role from their claims. The key pair is made here; no identity provider is involved.
 */
class JwtTest extends ServiceTestBase {

    private static final KeyPair ISSUER = rsa();
    private static final KeyPair STRANGER = rsa();

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void publicKey(DynamicPropertyRegistry registry) {
        try {
            Path pem = Files.createTempFile("jwt", ".pem");
            Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(ISSUER.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            registry.add("backprop.security.jwt.public-key", () -> pem.toUri().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String token(KeyPair signer, Map<String, Object> claims, Instant expires) throws JOSEException {
        JWTClaimsSet.Builder set = new JWTClaimsSet.Builder().subject("alice").expirationTime(Date.from(expires));
        claims.forEach(set::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), set.build());
        jwt.sign(new RSASSASigner(signer.getPrivate()));
        return jwt.serialize();
    }

    @Test
    void aSignedTokenActsForTheTenantAndRoleItsClaimsName() throws Exception {
        Instant later = Instant.now().plusSeconds(300);
        String member = token(ISSUER, Map.of("tenant", "default", "role", "member"), later);
        assertThat(api.as(member).get("/api/v1/runs").status()).isEqualTo(200);
        assertThat(api.as(member).get("/api/v1/tenants").status()).as("a member is no admin").isEqualTo(403);

        String viewer = token(ISSUER, Map.of("tenant", "default", "role", "viewer"), later);
        assertThat(api.as(viewer).postJson("/api/v1/runs", Specs.classifier(Specs.builtin("iris"), 3, 1, 16)).status())
                .isEqualTo(403);

        for (String refused : new String[] {
                token(STRANGER, Map.of("tenant", "default", "role", "member"), later),
                token(ISSUER, Map.of("tenant", "default", "role", "member"), Instant.now().minusSeconds(120)),
                token(ISSUER, Map.of("tenant", "nobody", "role", "member"), later),
                token(ISSUER, Map.of("tenant", "default", "role", "owner"), later)}) {
            Api.Response r = api.as(refused).get("/api/v1/runs");
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
        }
        assertThat(api.get("/api/v1/runs").status()).as("API keys still work").isEqualTo(200);
    }
}
