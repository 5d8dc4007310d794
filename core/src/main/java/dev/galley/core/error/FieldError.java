package dev.galley.core.error;

/**
 * One failed rule on one input field. {@code field} is the JSON path of the field as the client sent
 * it (for example {@code parameters.parameters.ports[2]}), {@code message} states the rule
 * ("must be >= 300000").
 */
public record FieldError(String field, String message) {
    public FieldError {
        if (field == null || message == null) throw new IllegalArgumentException("field and message are required");
    }

    /** The one-line form used as an error's summary message: {@code "ports[2] must be <= 65535"}. */
    public String describe() {
        return field.isEmpty() ? message : field + " " + message;
    }
}
