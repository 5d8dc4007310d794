package dev.galley.core.billing;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of ledger transactions (spec §9). */
public enum LedgerType {
    /** Credit an operator gives an account (positive). */
    CREDIT_GRANT,
    /** What a consumer pays for one usage record (negative). */
    USAGE_CHARGE,
    /** What a node's provider earns for one usage record: the charge minus the platform fee (positive). */
    PROVIDER_EARNING,
    /** A provider reward (spec §10; not written by metering). */
    REWARD,
    /** An operator's correction, either sign. */
    ADJUSTMENT;

    /** The types an operator may post with {@code POST /v1/compute/ledger/transactions}. */
    public boolean postedByOperators() {
        return this == CREDIT_GRANT || this == ADJUSTMENT;
    }

    public static Optional<LedgerType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst();
    }
}
