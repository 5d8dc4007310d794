package dev.galley.core.billing;

import java.util.Locale;

/** GALLEY_BILLING (spec §9): meter and keep the ledger only, or also refuse and stop work of accounts out of credit. */
public enum BillingMode {
    /** Usage is metered and charged; nobody is refused or stopped. The default: self-hosters often want metering without money. */
    RECORD,
    /** As RECORD, and accounts out of credit may not start work; their running jobs stop at the next cut. */
    ENFORCE;

    /** @throws IllegalArgumentException for anything but record / enforce (any case) */
    public static BillingMode parse(String text) {
        if (text != null) {
            switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "record" -> { return RECORD; }
                case "enforce" -> { return ENFORCE; }
                default -> { }
            }
        }
        throw new IllegalArgumentException("must be record or enforce, got '" + text + "'");
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
