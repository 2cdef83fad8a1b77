package io.backprop.identity;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.converter.RsaKeyConverters;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * One filter chain: bearer API keys (and JWTs when configured) on {@code /api/**} and the metrics
 * endpoints, health and the API documentation open, no sessions, no cookies, so no CSRF to defend.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
class SecurityConfig {

    private static final System.Logger LOG = System.getLogger(SecurityConfig.class.getName());
    private static final String[] READERS = {"ADMIN", "MEMBER", "VIEWER"};
    private static final String[] WRITERS = {"ADMIN", "MEMBER"};
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    @Bean
    SecurityFilterChain filterChain(HttpSecurity http, SecurityProperties properties, ApiKeys keys,
                                    TenantDirectory tenants) throws Exception {
        ProblemResponses problems = new ProblemResponses();
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .cors(cors -> cors.configurationSource(cors(properties.allowedOrigins())))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                // the web UI keeps its key in the tab: only the service's own scripts may run
                .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)));
        if (!properties.enabled()) {
            LOG.log(Level.WARNING, "backprop.security.enabled=false: no API key is asked for; every request acts as "
                    + "the admin of tenant 'default'. Use this only on a single-user machine.");
            return http.authorizeHttpRequests(a -> a.anyRequest().permitAll()).build();
        }
        AuthenticationManager manager = authenticationManager(properties, keys, tenants);
        return http.authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator/**").hasAnyRole("ADMIN", "METRICS")
                        .requestMatchers("/api/v1/tenants", "/api/v1/tenants/**", "/api/v1/keys/**").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.GET, "/api/**").hasAnyRole(READERS)
                        .requestMatchers(HttpMethod.HEAD, "/api/**").hasAnyRole(READERS)
                        // a prediction reads a model: viewers may ask for one
                        .requestMatchers(HttpMethod.POST, "/api/v1/runs/*/predictions").hasAnyRole(READERS)
                        .requestMatchers("/api/**").hasAnyRole(WRITERS)
                        .anyRequest().permitAll())
                .oauth2ResourceServer(o -> o.authenticationManagerResolver(request -> manager)
                        .authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .addFilterBefore(new AuthenticationOutage(), BearerTokenAuthenticationFilter.class)
                .build();
    }

    private static AuthenticationManager authenticationManager(SecurityProperties properties, ApiKeys keys,
                                                               TenantDirectory tenants) {
        SecurityProperties.Jwt jwt = properties.jwt();
        List<AuthenticationProvider> providers = new ArrayList<>();
        providers.add(new ApiKeyAuthenticationProvider(keys, jwt.enabled()));
        if (jwt.enabled()) {
            JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder(jwt));
            provider.setJwtAuthenticationConverter(new JwtCallers(tenants, jwt));
            providers.add(provider);
            LOG.log(Level.INFO, "JWT access tokens accepted besides API keys (tenant claim '" + jwt.tenantClaim()
                    + "', role claim '" + jwt.roleClaim() + "')");
        }
        return new ProviderManager(providers);
    }

    private static JwtDecoder decoder(SecurityProperties.Jwt jwt) {
        if (jwt.publicKey() != null && !jwt.publicKey().isBlank()) {
            try (var in = new DefaultResourceLoader().getResource(jwt.publicKey()).getInputStream()) {
                RSAPublicKey key = RsaKeyConverters.x509().convert(in);
                return NimbusJwtDecoder.withPublicKey(key).build();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read backprop.security.jwt.public-key " + jwt.publicKey(), e);
            }
        }
        return JwtDecoders.fromIssuerLocation(jwt.issuerUri());
    }

    /** Cross-origin calls only from the listed origins; same-origin requests are not CORS and always pass. */
    private static UrlBasedCorsConfigurationSource cors(List<String> allowedOrigins) {
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOrigins(List.copyOf(allowedOrigins));
        config.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "DELETE"));
        config.setAllowedHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID",
                "If-None-Match"));
        config.setExposedHeaders(List.of("Location", "ETag", "Retry-After", "WWW-Authenticate"));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", config);
        return source;
    }
}
