package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.galley.core.error.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * The server answered with status ≥ 400. Carries the parts of the error body (spec §1.2) so callers can
 * react to {@code type} and show each field error; {@code canonicalString} is set on signature mismatches.
 */
public final class GalleyApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String apiMessage;
    private final List<FieldError> errors;
    private final String requestId;
    private final String canonicalString;
    private final ApiResponse response;

    public GalleyApiException(ApiResponse response) {
        super(describe(response));
        this.response = response;
        this.status = response.status();
        JsonNode error = errorNode(response);
        this.type = text(error, "type");
        this.apiMessage = text(error, "message");
        this.canonicalString = error.hasNonNull("canonical_string") ? error.get("canonical_string").asText()
                : text(parsed(response), "canonical_string");
        List<FieldError> fieldErrors = new ArrayList<>();
        for (JsonNode item : error.path("errors")) {
            if (item.hasNonNull("field") && item.hasNonNull("message")) {
                fieldErrors.add(new FieldError(item.get("field").asText(), item.get("message").asText()));
            }
        }
        this.errors = List.copyOf(fieldErrors);
        this.requestId = response.header("X-Request-Id").orElse(null);
    }

    public int status() {
        return status;
    }

    /** The API error type ({@code invalid_request}, {@code unauthenticated}, …); null if the body had none. */
    public String type() {
        return type;
    }

    /** The API's message; null if the body had none. */
    public String apiMessage() {
        return apiMessage;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** The {@code X-Request-Id} response header, to quote in bug reports; null if absent. */
    public String requestId() {
        return requestId;
    }

    /** What the server signed, on a 401 signature mismatch; null otherwise. */
    public String canonicalString() {
        return canonicalString;
    }

    public ApiResponse response() {
        return response;
    }

    private static String describe(ApiResponse response) {
        JsonNode error = errorNode(response);
        StringBuilder s = new StringBuilder("HTTP ").append(response.status());
        String type = text(error, "type");
        if (type != null) s.append(' ').append(type);
        String message = text(error, "message");
        if (message != null) {
            s.append(": ").append(message);
        } else if (response.body().length > 0 && error.isMissingNode()) {
            String body = response.bodyText().strip();
            s.append(": ").append(body.length() > 200 ? body.substring(0, 200) + "…" : body);
        }
        response.header("X-Request-Id").ifPresent(id -> s.append(" (request id ").append(id).append(')'));
        return s.toString();
    }

    private static JsonNode parsed(ApiResponse response) {
        try {
            return response.json();
        } catch (IllegalStateException notJson) {
            return MissingNode.getInstance();
        }
    }

    private static JsonNode errorNode(ApiResponse response) {
        return parsed(response).path("error");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }
}
