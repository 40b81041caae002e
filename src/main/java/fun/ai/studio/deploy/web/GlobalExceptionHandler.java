package fun.ai.studio.deploy.web;

import fun.ai.studio.deploy.shared.ApiResponse;
import fun.ai.studio.deploy.shared.ConflictException;
import fun.ai.studio.deploy.shared.DomainException;
import fun.ai.studio.deploy.shared.ExpiredException;
import fun.ai.studio.deploy.shared.InvalidRequestException;
import fun.ai.studio.deploy.shared.LogSafe;
import fun.ai.studio.deploy.shared.NoCapacityException;
import fun.ai.studio.deploy.shared.NotFoundException;
import fun.ai.studio.deploy.shared.NotPermittedException;
import jakarta.servlet.http.HttpServletRequest;
import lombok.extern.slf4j.Slf4j;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;

/** Turns every failure of this service's endpoints into the envelope with a status and an actionable message. */
@Slf4j
@RestControllerAdvice
public class GlobalExceptionHandler {

    @ExceptionHandler(DomainException.class)
    ResponseEntity<ApiResponse<Void>> refused(DomainException e) {
        return respond(statusOf(e), e.getMessage());
    }

    @ExceptionHandler(ExpiredException.class)
    ResponseEntity<ApiResponse<Map<String, Object>>> expired(ExpiredException e) {
        return envelope(HttpStatus.GONE).body(new ApiResponse<>(HttpStatus.GONE.value(), e.getMessage(), e.data()));
    }

    /** The one place a domain refusal becomes an HTTP status; api.md lists each. */
    static HttpStatus statusOf(DomainException e) {
        if (e instanceof InvalidRequestException) {
            return HttpStatus.BAD_REQUEST;
        }
        if (e instanceof NotPermittedException) {
            return HttpStatus.FORBIDDEN;
        }
        if (e instanceof NotFoundException) {
            return HttpStatus.NOT_FOUND;
        }
        if (e instanceof ConflictException) {
            return HttpStatus.CONFLICT;
        }
        if (e instanceof NoCapacityException) {
            return HttpStatus.SERVICE_UNAVAILABLE;
        }
        if (e instanceof ExpiredException) {
            return HttpStatus.GONE;
        }
        throw new IllegalStateException("no status for " + e.getClass().getName(), e);
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ApiResponse<Void>> invalid(MethodArgumentNotValidException e) {
        String message = e.getBindingResult().getFieldErrors().stream()
                .sorted(Comparator.comparing(FieldError::getField))
                .map(error -> error.getField() + " " + error.getDefaultMessage())
                .distinct()
                .collect(Collectors.joining("; "));
        return respond(HttpStatus.BAD_REQUEST, message.isEmpty() ? "invalid request body" : message);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiResponse<Void>> unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getMostSpecificCause();
        // Well-formed JSON whose number does not fit the field (3000000000 for an int): the parser raises it as
        // a read error, but it is not malformed and the caller needs to know which field to fix.
        if (cause instanceof InputCoercionException coercion && !coercion.getPath().isEmpty()) {
            return respond(HttpStatus.BAD_REQUEST, field(coercion) + " is out of range for its type");
        }
        if (cause instanceof StreamReadException) {
            return respond(HttpStatus.BAD_REQUEST, "malformed JSON in request body");
        }
        if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
            return respond(HttpStatus.BAD_REQUEST, field(jackson) + " has the wrong type or format");
        }
        if (cause instanceof JacksonException) {
            return respond(HttpStatus.BAD_REQUEST, "request body must be a JSON object");
        }
        return respond(HttpStatus.BAD_REQUEST, "request body is missing or unreadable; send a JSON object");
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ApiResponse<Void>> missingParameter(MissingServletRequestParameterException e) {
        return respond(HttpStatus.BAD_REQUEST, "query parameter " + e.getParameterName() + " is required");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ApiResponse<Void>> typeMismatch(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "a valid value"
                : e.getRequiredType() == boolean.class || e.getRequiredType() == Boolean.class ? "true, false, 1 or 0"
                : "an integer";
        return respond(HttpStatus.BAD_REQUEST, e.getName() + " must be " + expected);
    }

    /**
     * Tomcat refuses, at the first parameter lookup, a query it cannot split into parameters: more than it reads
     * (1000 by default), or a parameter without a name ({@code ?=x}). Percent-encoding errors never get here:
     * {@link MalformedRequestFilter} refuses them first.
     */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ApiResponse<Void>> unreadableParameters(InvalidParameterException e, HttpServletRequest request) {
        log.info("refused {} {}: unreadable query parameters ({})", LogSafe.of(request.getMethod()),
                LogSafe.of(request.getRequestURI()), LogSafe.of(e.getMessage()));
        return respond(HttpStatus.BAD_REQUEST,
                "the query string cannot be read: too many parameters, or a parameter without a name");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiResponse<Void>> unsupportedMediaType(HttpMediaTypeNotSupportedException e) {
        return respond(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ApiResponse<Void>> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return respond(HttpStatus.NOT_ACCEPTABLE, "this endpoint answers application/json only");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiResponse<Void>> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
        return respond(HttpStatus.METHOD_NOT_ALLOWED, "method " + e.getMethod() + " is not allowed here; use "
                + String.join(" or ", e.getSupportedMethods() == null ? new String[0] : e.getSupportedMethods()));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiResponse<Void>> noResource(NoResourceFoundException e) {
        return respond(HttpStatus.NOT_FOUND, "no endpoint at /" + e.getResourcePath());
    }

    // Recoverable: the connection was lost mid-call, a commit included, so a write may or may not have been
    // applied; the caller retries or reads back.
    @ExceptionHandler({DataAccessResourceFailureException.class, CannotCreateTransactionException.class,
            TransientDataAccessException.class, QueryTimeoutException.class, RecoverableDataAccessException.class})
    ResponseEntity<ApiResponse<Void>> databaseUnavailable(Exception e) {
        // Not one line per refused call: each outage is logged once where it is detected, and the metrics count
        // every refusal.
        log.debug("database unavailable: {}", e.getClass().getSimpleName());
        // The breaker's probe tries the database every 500 ms by default: a second later is a fair retry.
        return envelope(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                .body(ApiResponse.error(HttpStatus.SERVICE_UNAVAILABLE.value(), "database unavailable; retry later"));
    }

    /** A waiting call the service did not answer within its wait (the change feed's thread stalled). */
    @ExceptionHandler(AsyncRequestTimeoutException.class)
    ResponseEntity<ApiResponse<Void>> notAnsweredInTime(AsyncRequestTimeoutException e) {
        return envelope(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                .body(ApiResponse.error(HttpStatus.SERVICE_UNAVAILABLE.value(), "not answered in time; retry"));
    }

    /** The client closed the connection before its answer was written; there is nobody left to answer. */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void clientGone(AsyncRequestNotUsableException e) {
        log.debug("client went away: {}", LogSafe.of(e.getMessage()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiResponse<Void>> bug(Exception e) {
        if (lostTheDatabase(e)) {
            // Wrapped where Spring has no better type for it, such as a rollback on a connection that is gone.
            return databaseUnavailable(e);
        }
        log.error("unexpected error", LogSafe.throwable(e));
        return respond(HttpStatus.INTERNAL_SERVER_ERROR, "internal error");
    }

    private static String field(JacksonException e) {
        return e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    /** JSON whatever the request's Accept header says: a caller that accepts only HTML still learns what went wrong. */
    /** A lost or refused database connection anywhere in the causes (SQLState class 08 or its JDBC types). */
    static boolean lostTheDatabase(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLRecoverableException || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof SQLTransientConnectionException
                    || (cause instanceof SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("08"))) {
                return true;
            }
        }
        return false;
    }

    private static ResponseEntity<ApiResponse<Void>> respond(HttpStatus status, String message) {
        return envelope(status).body(ApiResponse.error(status.value(), message));
    }

    private static ResponseEntity.BodyBuilder envelope(HttpStatus status) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
    }
}
