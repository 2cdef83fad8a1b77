package io.backprop.identity;

import io.backprop.web.FilterProblems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 as problem+json, like every other answer of the service. The 401 carries the RFC 6750
 * challenge, {@code WWW-Authenticate: Bearer} (with {@code error="invalid_token"} when a token was sent).
 * Spring Security's own entry point would also name an OAuth protected-resource metadata document, which
 * this service does not publish.
 */
final class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        boolean given = request.getHeader("Authorization") != null;
        response.setHeader("WWW-Authenticate", given ? "Bearer error=\"invalid_token\"" : "Bearer");
        FilterProblems.write(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized", given
                ? "the bearer key is unknown, revoked or expired"
                : "send an API key as 'Authorization: Bearer <key>'", Map.of());
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        FilterProblems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden", "this key's role may not "
                + request.getMethod() + " " + request.getRequestURI(), Map.of());
    }
}
