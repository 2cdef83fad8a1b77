package io.backprop.web;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * An answer for the client, rendered as RFC 9457 problem+json by {@link ProblemHandler}.
 *
 * @param errors  one entry per bad field, with its JSON path
 * @param headers extra response headers (Retry-After)
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final HttpStatus status;
    private final String title;
    private final List<FieldProblem> errors;
    private final Map<String, String> headers;
    private final Map<String, Object> properties;

    public ApiException(HttpStatus status, String title, String detail, List<FieldProblem> errors,
                        Map<String, String> headers) {
        this(status, title, detail, errors, headers, Map.of());
    }

    private ApiException(HttpStatus status, String title, String detail, List<FieldProblem> errors,
                         Map<String, String> headers, Map<String, Object> properties) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.headers = Map.copyOf(headers);
        this.properties = Map.copyOf(properties);
    }

    /**
     * 429: a tenant's quota would be exceeded; the body names the quota, its limit and the current use.
     *
     * @param retryAfterSeconds when waiting helps (runs finish), else null (storage must be freed)
     */
    public static ApiException quotaExceeded(String quota, long limit, long used, String detail, Integer retryAfterSeconds) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "Quota exceeded", detail, List.of(),
                retryAfterSeconds == null ? Map.of() : Map.of("Retry-After", retryAfterSeconds.toString()),
                Map.of("quota", quota, "limit", limit, "used", used));
    }

    public static ApiException notFound(String what, Object id) {
        return new ApiException(HttpStatus.NOT_FOUND, "Not found", "no " + what + " with id " + id, List.of(), Map.of());
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, "Conflict", detail, List.of(), Map.of());
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Bad request", detail, List.of(), Map.of());
    }

    public static ApiException invalid(List<FieldProblem> errors) {
        String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid request", detail, errors, Map.of());
    }

    public static ApiException invalid(String field, String message) {
        return invalid(List.of(new FieldProblem(field, message)));
    }

    /** 503: the database is away; the client may retry shortly. */
    public static ApiException unavailable() {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
                "the database cannot be reached; retry shortly", List.of(), Map.of("Retry-After", "5"));
    }

    public static ApiException tooLarge(String detail) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Too large", detail, List.of(), Map.of());
    }

    /** 413 with the limit that was exceeded as the problem's {@code limit} member, like the body limit's. */
    public static ApiException tooLarge(String detail, long limit) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Too large", detail, List.of(), Map.of(),
                Map.of("limit", limit));
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldProblem> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** Extra members of the problem body. */
    public Map<String, Object> properties() {
        return properties;
    }

    /** One bad field: a JSON path such as {@code $.model.layers[0].units} (or a CSV column) and why. */
    public record FieldProblem(String field, String message) {
    }
}
