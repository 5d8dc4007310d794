package dev.galley.core.cook;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of recipe input (spec §4.1); {@link #wireName()} is how they appear in {@code input_schema[].type}. */
public enum InputType {
    STRING("string"),
    NUMBER("number"),
    BOOLEAN("boolean"),
    SELECT("select"),
    /** Text that is masked wherever the cooked job is shown, like the registry secrets. */
    SECRET("secret");

    private final String wireName;

    InputType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<InputType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
