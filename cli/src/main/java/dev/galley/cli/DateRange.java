package dev.galley.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * {@code --from} / {@code --to} of the billing commands: a date ({@code 2026-04-01}, UTC) or an RFC 3339 time. A date
 * as {@code --to} means the end of that day, as the API's filters read it.
 */
record DateRange(Instant from, Instant to) {
    static DateRange of(String from, String to) {
        DateRange r = new DateRange(from == null ? null : parse("--from", from, false), to == null ? null : parse("--to", to, true));
        if (r.from != null && r.to != null && r.from.isAfter(r.to)) throw new UsageException("--from must not be after --to");
        return r;
    }

    boolean isEmpty() {
        return from == null && to == null;
    }

    /** The API's {@code a,b} range; open ends are the earliest and latest dates the API takes. */
    String filter() {
        return (from == null ? "0001-01-01T00:00:00Z" : from.toString()) + "," + (to == null ? "9999-12-31T23:59:59.999Z" : to.toString());
    }

    private static Instant parse(String option, String text, boolean endOfDay) {
        try {
            if (text.length() == 10) {
                LocalDate d = LocalDate.parse(text);
                return endOfDay ? d.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusMillis(1)
                        : d.atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new UsageException(option + " must be a date (2026-04-01) or an RFC 3339 time (2026-04-01T12:00:00Z), got '" + text + "'");
        }
    }
}
