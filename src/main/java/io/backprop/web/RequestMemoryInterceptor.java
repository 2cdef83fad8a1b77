package io.backprop.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Opens a request's {@link RequestMemory} lease before its body is read (handler arguments are resolved
 * after {@code preHandle}) and gives it back when the request completes. Bodies are streamed (JSON through
 * the parser, raw rows straight into floats, uploads spooled to disk by the container), so what a request
 * holds is what its handler and parsers reserve as they allocate.
 */
@Component
class RequestMemoryInterceptor implements HandlerInterceptor {

    private static final String LEASE = RequestMemoryInterceptor.class.getName() + ".lease";

    private final RequestMemory memory;

    RequestMemoryInterceptor(RequestMemory memory) {
        this.memory = memory;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String method = request.getMethod();
        if ("POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method)) {
            request.setAttribute(LEASE, memory.open());
        }
        return true;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        if (request.getAttribute(LEASE) instanceof RequestMemory.Lease lease) {
            request.removeAttribute(LEASE);
            lease.close();
        }
    }
}
