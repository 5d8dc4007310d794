package dev.galley.core.auth;

/** Whose resources a permission reaches (spec §2.2); {@link #ALL} implies {@link #OWN}. */
public enum Scope {
    /** Resources of the caller's own account. */
    OWN("own"),
    /** Resources of every account (operators). */
    ALL("all");

    private final String wire;

    Scope(String wire) {
        this.wire = wire;
    }

    /** The name used in permission strings: {@code own} or {@code all}. */
    public String wire() {
        return wire;
    }
}
