package io.backprop.identity;

import io.backprop.web.ApiException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * A key cannot be checked while the database is away: that is a 503 with {@code Retry-After}, like any
 * other request then, not a 401 (the key may be fine) and not a 500.
 */
final class AuthenticationOutage extends OncePerRequestFilter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

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
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(unavailable.status(), unavailable.getMessage());
            problem.setTitle(unavailable.title());
            problem.setInstance(URI.create(request.getRequestURI()));
            response.setStatus(unavailable.status().value());
            unavailable.headers().forEach(response::setHeader);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getOutputStream().write(JSON.writeValueAsBytes(problem));
        }
    }
}
