package io.backprop.web;

import io.backprop.config.BackpropProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses bodies declared larger than the dataset limit before anything reads them (413). Multipart
 * uploads are bounded by Spring's multipart limits as well.
 */
@Component
class RequestSizeFilter extends OncePerRequestFilter {

    private final BackpropProperties properties;

    RequestSizeFilter(BackpropProperties properties) {
        this.properties = properties;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // multipart framing adds a little to the file itself
        long limit = properties.maxDatasetBytes() + 64 * 1024;
        if (request.getContentLengthLong() > limit) {
            response.setStatus(413);
            response.setContentType("application/problem+json");
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Too large\",\"status\":413,"
                    + "\"detail\":\"request body of " + request.getContentLengthLong() + " bytes exceeds the limit of "
                    + limit + " bytes\",\"instance\":\"" + request.getRequestURI().replace("\"", "") + "\"}");
            return;
        }
        chain.doFilter(request, response);
    }
}
