package dev.galley.core.error;

import java.util.List;

/** Bad input: every failed rule at once, so a client can fix them all in one round trip. */
public final class ValidationException extends RuntimeException {
    private final List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super(errors.isEmpty() ? "invalid request" : errors.get(0).describe());
        if (errors.isEmpty()) throw new IllegalArgumentException("a validation failure needs at least one error");
        this.errors = List.copyOf(errors);
    }

    public static ValidationException of(String field, String message) {
        return new ValidationException(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
