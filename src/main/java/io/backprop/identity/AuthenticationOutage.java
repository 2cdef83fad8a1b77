package io.backprop.identity;

import io.backprop.web.ApiException;
import io.backprop.web.FilterProblems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A key cannot be checked while the database is away: that is a 503 with {@code Retry-After}, like any
 * other request then, not a 401 (the key may be fine) and not a 500.
 */
final class AuthenticationOutage extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (AuthenticationServiceException e) {
            if (response.isCommitted()) {
                throw e;
            }
            ApiException unavailable = ApiException.unavailable();
            unavailable.headers().forEach(response::setHeader);
            FilterProblems.write(request, response, unavailable.status(), unavailable.title(), unavailable.getMessage(),
                    Map.of());
        }
    }
}
