package dev.galley.server.http;

import dev.galley.core.error.FieldError;
import java.util.List;
import java.util.Map;

/** An error response of spec §1.2: the HTTP status, the error {@code type}, a message and field errors. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final List<FieldError> errors;
    private final Map<String, String> extra;
    private final Map<String, String> headers;

    public ApiException(int status, String type, String message, List<FieldError> errors,
                        Map<String, String> extra, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.type = type;
        this.errors = List.copyOf(errors);
        this.extra = Map.copyOf(extra);
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, "invalid_request", field.isEmpty() ? message : field + " " + message,
                List.of(new FieldError(field, message)), Map.of(), Map.of());
    }

    public static ApiException unauthenticated(String message) {
        return new ApiException(401, "unauthenticated", message, List.of(), Map.of(), Map.of());
    }

    public static ApiException signatureMismatch(String canonicalString) {
        return new ApiException(401, "unauthenticated",
                "signature does not match; the server signed the canonical_string shown here",
                List.of(), Map.of("canonical_string", canonicalString), Map.of());
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message, List.of(), Map.of(), Map.of());
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not_found", what + " not found", List.of(), Map.of(), Map.of());
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message, List.of(), Map.of(), Map.of());
    }

    public static ApiException payloadTooLarge(String message) {
        return new ApiException(413, "payload_too_large", message, List.of(), Map.of(), Map.of());
    }

    public static ApiException rateLimited(long retryAfterSeconds) {
        return new ApiException(429, "rate_limited", "rate limit exceeded; retry after " + retryAfterSeconds + " s",
                List.of(), Map.of(), Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    /** The server is at its in-flight limit: a 429 the SDK retries after Retry-After. */
    public static ApiException busy() {
        return new ApiException(429, "rate_limited", "the server is at capacity; retry after 1 s",
                List.of(), Map.of(), Map.of("Retry-After", "1"));
    }

    /**
     * The database is out of reach (stopped, restarting, unreachable): a 503 the SDK retries after Retry-After
     * for requests that are safe to repeat. A write that failed while committing may or may not have been
     * applied, which is what Idempotency-Key is for.
     */
    public static ApiException unavailable() {
        return new ApiException(503, "unavailable", "the database is unavailable; retry after " + UNAVAILABLE_RETRY_AFTER_S + " s",
                List.of(), Map.of(), Map.of("Retry-After", Integer.toString(UNAVAILABLE_RETRY_AFTER_S)));
    }

    /** A database restart takes a few seconds; clients that come back every second see it return promptly. */
    public static final int UNAVAILABLE_RETRY_AFTER_S = 1;

    public int status() { return status; }
    public String type() { return type; }
    public List<FieldError> errors() { return errors; }
    public Map<String, String> extra() { return extra; }
    public Map<String, String> headers() { return headers; }
}
