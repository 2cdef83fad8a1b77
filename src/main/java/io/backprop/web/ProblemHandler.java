package io.backprop.web;

import io.backprop.core.InputRejected;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;

/** Every error as RFC 9457 problem+json; bad input never becomes a 500. */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final System.Logger LOG = System.getLogger(ProblemHandler.class.getName());

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        problem.setTitle(e.title());
        problem.setInstance(URI.create(request.getRequestURI()));
        if (!e.errors().isEmpty()) {
            problem.setProperty("errors", e.errors());
        }
        e.properties().forEach(problem::setProperty);
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(e.status());
        e.headers().forEach(builder::header);
        return builder.body(problem);
    }

    /** A parser's refusal, in the same shape as the service's own answers. */
    @ExceptionHandler(InputRejected.class)
    ResponseEntity<ProblemDetail> rejected(InputRejected e, HttpServletRequest request) {
        return api(switch (e.kind()) {
            case MALFORMED -> ApiException.badRequest(e.getMessage());
            case INVALID -> ApiException.invalid(e.field(), e.getMessage());
            case TOO_LARGE -> ApiException.tooLarge(e.getMessage());
        }, request);
    }

    /** Another request or a worker changed the same thing at the same moment: the client may retry. */
    @ExceptionHandler(OptimisticLockingFailureException.class)
    ResponseEntity<ProblemDetail> concurrentChange(OptimisticLockingFailureException e, HttpServletRequest request) {
        return api(ApiException.conflict("it was changed concurrently; retry"), request);
    }

    /** The database is away (stopped, unreachable, out of connections): 503, not an internal error. */
    @ExceptionHandler({DataAccessResourceFailureException.class, CannotCreateTransactionException.class,
            TransientDataAccessException.class})
    ResponseEntity<ProblemDetail> databaseAway(Exception e, HttpServletRequest request) {
        LOG.log(System.Logger.Level.WARNING, "database unavailable on " + request.getMethod() + " " + request.getRequestURI()
                + ": " + e.getMessage());
        return api(ApiException.unavailable(), request);
    }

    /** Anything unexpected: a 500 that says nothing of the internals; the log has the stack trace. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        LOG.log(System.Logger.Level.ERROR, "unhandled error on " + request.getMethod() + " " + request.getRequestURI(), e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "an internal error occurred; it has been logged");
        problem.setTitle("Internal error");
        problem.setInstance(URI.create(request.getRequestURI()));
        return ResponseEntity.internalServerError().body(problem);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        Class<?> type = e.getRequiredType();
        // a query parameter's enum is read by its constants' names, so those are the values to list
        String expected = type == null ? "a valid value" : type.isEnum()
                ? "one of " + Arrays.toString(type.getEnumConstants()) : JsonInputErrors.expected(type);
        return api(new ApiException(HttpStatus.BAD_REQUEST, "Bad request", "'" + e.getName() + "' must be " + expected,
                List.of(new ApiException.FieldProblem(e.getName(), "invalid value '" + e.getValue() + "'")),
                Map.of()), request);
    }

    /**
     * A query or form parameter Tomcat cannot decode (a malformed %-escape, bytes that are not UTF-8), which
     * it reports only when the parameters are first read, as an unchecked exception.
     */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> badParameter(InvalidParameterException e, HttpServletRequest request) {
        HttpStatus status = HttpStatus.resolve(e.getErrorCode());
        return api(new ApiException(status != null && status.is4xxClientError() ? status : HttpStatus.BAD_REQUEST,
                "Bad request", "a query or form parameter cannot be decoded (a malformed %-escape or bytes that are"
                        + " not UTF-8)", List.of(), Map.of()), request);
    }

    /** A body read by the handler itself (raw prediction rows) that went past its limit. */
    @ExceptionHandler(RequestSizeFilter.BodyTooLarge.class)
    ResponseEntity<ProblemDetail> bodyTooLarge(RequestSizeFilter.BodyTooLarge e, HttpServletRequest request) {
        return api(ApiException.tooLarge(e.getMessage(), e.limit), request);
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> badMultipart(MultipartException e, HttpServletRequest request) {
        return api(ApiException.badRequest("malformed multipart request: " + e.getMostSpecificCause().getMessage()),
                request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            // refused while the body was read (its size, the request memory), not malformed
            ApiException refused = t instanceof ApiException e ? e
                    : t instanceof RequestSizeFilter.BodyTooLarge tooLarge ? ApiException.tooLarge(t.getMessage(), tooLarge.limit)
                    : null;
            if (refused != null && request instanceof ServletWebRequest servlet) {
                ResponseEntity<ProblemDetail> answer = api(refused, servlet.getRequest());
                return new ResponseEntity<>(answer.getBody(), answer.getHeaders(), answer.getStatusCode());
            }
        }
        ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
        problem.setTitle("Malformed request body");
        JacksonException jackson = findJackson(ex);
        if (jackson != null) {
            String path = JsonInputErrors.path(jackson);
            String message = JsonInputErrors.describe(jackson);
            problem.setDetail(path.equals("$") ? message : path + ": " + message);
            problem.setProperty("errors", List.of(new ApiException.FieldProblem(path, message)));
        } else if (ex.getMostSpecificCause() != ex) {
            problem.setDetail("the request body cannot be read: " + ex.getMostSpecificCause().getMessage());
        } else {
            // Spring's own message names the controller method ("Required request body is missing: ...")
            problem.setDetail(ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")
                    ? "the request has no body" : "the request body cannot be read");
        }
        return ResponseEntity.badRequest().body(problem);
    }

    /** Spring MVC's "No static resource api/v1/..." for a path nothing serves, in the client's terms. */
    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
                                                                    HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status,
                "nothing is served at " + ex.getHttpMethod() + " /" + ex.getResourcePath());
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    /**
     * Spring MVC's own errors (405, 406, 415, a missing parameter...) titled by their status as the rest of
     * the service's answers are ("Method not allowed", not "Method Not Allowed").
     */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
                                                          WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            HttpStatus known = HttpStatus.resolve(status.value());
            if (problem.getTitle() == null || known != null && problem.getTitle().equals(known.getReasonPhrase())) {
                problem.setTitle(FilterProblems.title(status.value()));
            }
        }
        return super.createResponseEntity(body, headers, status, request);
    }

    private static JacksonException findJackson(Throwable t) {
        while (t != null) {
            if (t instanceof JacksonException j) {
                return j;
            }
            t = t.getCause();
        }
        return null;
    }
}
