package dev.galley.server.fuzz;

/** Whose key signs a fuzz case; the test maps each to a real key pair. */
enum Signer {
    /** The operator's bootstrap key ({@code *}): the only one that may create accounts. */
    OPERATOR,
    /** The fuzzing tenant's compute_consumer key. */
    TENANT,
    /** The fuzzing tenant's compute_node key, bound to its node. */
    TENANT_NODE,
    /** Another tenant's consumer key: nothing of the fuzzing tenant's is its to change. */
    FOREIGN_TENANT,
    /** Another tenant's node key. */
    FOREIGN_NODE,
    /** A key of the fuzzing tenant that was revoked. */
    REVOKED;

    boolean foreign() {
        return this == FOREIGN_TENANT || this == FOREIGN_NODE;
    }
}
