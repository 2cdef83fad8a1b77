package io.backprop.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Errors the container or a filter reports with {@code sendError} (Spring Security's firewall refusing a
 * path, a method Tomcat never serves such as TRACE), which Spring Boot would answer with its own JSON:
 * problem+json like the rest. Written straight to the response, so no {@code Accept} header can turn the
 * error into a 406.
 */
@Controller
class ContainerErrors implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i && i >= 400 ? i : 500;
        String detail = switch (status) {
            case 400 -> "the request was refused before it reached the service: its path holds ';', '//', an encoded"
                    + " '.', '/' or '%', or a control character, or the request is malformed";
            // the error dispatch does not keep the method the client sent (a TRACE arrives here as GET)
            case 405 -> "the request's method is not served on this path";
            default -> status >= 500 ? "an internal error occurred; it has been logged" : FilterProblems.title(status);
        };
        FilterProblems.write(new OriginalPath(request), response, status, detail);
    }

    /** The request as the client sent it: its instance is the path it asked for, not the error page's. */
    private static final class OriginalPath extends HttpServletRequestWrapper {
        OriginalPath(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getRequestURI() {
            Object uri = getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            return uri instanceof String s ? s : super.getRequestURI();
        }
    }
}
