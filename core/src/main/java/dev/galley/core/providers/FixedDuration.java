package dev.galley.core.providers;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the duration settings of this package ({@code GALLEY_EPOCH_LENGTH}, {@code GALLEY_TELEMETRY_INTERVAL},
 * {@code GALLEY_TELEMETRY_RETENTION}): fixed-length ISO-8601 durations — {@code P1W}, {@code P7D}, {@code PT1H},
 * {@code PT90S}. Months and years are refused: they have no fixed length.
 */
public final class FixedDuration {
    private static final Pattern WEEKS = Pattern.compile("P(\\d{1,4})W");

    private FixedDuration() {}

    /**
     * @param setting the setting's name, for the message
     * @throws IllegalArgumentException when {@code text} is not such a duration or not within {@code [min, max]}
     */
    public static Duration parse(String setting, String text, Duration min, Duration max) {
        String s = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        Matcher weeks = WEEKS.matcher(s);
        Duration d;
        if (weeks.matches()) {
            d = Duration.ofDays(7L * Integer.parseInt(weeks.group(1)));
        } else {
            try {
                d = Duration.parse(s);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(setting + " '" + text
                        + "' is not a fixed-length ISO-8601 duration such as P7D, P1W, PT1H or PT90S");
            }
        }
        if (d.toNanosPart() % 1_000_000 != 0) throw new IllegalArgumentException(setting + " must be whole milliseconds, not " + text);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(setting + " must be from " + min + " to " + max + ", not " + text);
        }
        return d;
    }
}
