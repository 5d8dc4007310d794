package dev.galley.core.error;

import java.util.ArrayList;
import java.util.List;

/** Collects field errors while a validator walks a document, then throws them all together. */
public final class FieldErrors {
    private final List<FieldError> errors = new ArrayList<>();

    public void add(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    public void addAll(List<FieldError> more) {
        errors.addAll(more);
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public List<FieldError> list() {
        return List.copyOf(errors);
    }

    /** Throws a {@link ValidationException} holding every error collected so far, if there are any. */
    public void throwIfAny() {
        if (!errors.isEmpty()) throw new ValidationException(errors);
    }
}
