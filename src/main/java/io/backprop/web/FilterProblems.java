package io.backprop.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import tools.jackson.databind.json.JsonMapper;

/**
 * problem+json answers of the servlet filters (body limits, the read gate, authentication), which run
 * before Spring MVC and its problem handler: the same members as the handler's answers (RFC 9457; no
 * null {@code type}, extra properties at the top level, as the mixin Spring MVC registers writes them).
 */
public final class FilterProblems {

    private static final JsonMapper JSON = JsonMapper.builder()
            .addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
            .build();

    private FilterProblems() {
    }

    /**
     * A problem titled by its status alone, for errors raised outside the service's code, where there is no
     * better title to give.
     */
    static void write(HttpServletRequest request, HttpServletResponse response, int status, String detail)
            throws IOException {
        write(request, response, HttpStatusCode.valueOf(status), title(status), detail, Map.of());
    }

    /**
     * The title of a status with no more specific one, in the sentence case of the service's own titles
     * ("Not found", "Method not allowed"); "Internal error" for a 500 or a status HTTP does not name.
     */
    static String title(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        if (known == null || status == 500) {
            return status >= 500 ? "Internal error" : "Error";
        }
        String phrase = known.getReasonPhrase();
        return phrase.charAt(0) + phrase.substring(1).toLowerCase(Locale.ROOT);
    }

    /**
     * @param properties further members of the problem, or an empty map
     */
    public static void write(HttpServletRequest request, HttpServletResponse response, HttpStatusCode status,
                             String title, String detail, Map<String, Object> properties) throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        // cut down to characters that always make a valid URI, so an odd path cannot turn the answer into a 500
        String path = request.getRequestURI();
        problem.setInstance(URI.create(path == null ? "/" : path.replaceAll("[^A-Za-z0-9/._~-]", "")));
        properties.forEach(problem::setProperty);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(JSON.writeValueAsBytes(problem));
    }
}
