package dev.galley.core.billing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.error.FieldErrors;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * Money is exact (spec §9): {@link BigDecimal} at {@value #SCALE} fraction digits, {@code NUMERIC} in PostgreSQL,
 * and on the wire a JSON string with exactly six fraction digits ({@code "0.350000"}).
 *
 * <p>One rounding rule everywhere a result has more digits than that: {@link RoundingMode#HALF_EVEN} (banker's
 * rounding) to six digits. It is unbiased, so the half-micro-units it drops and adds over millions of usage
 * records even out instead of drifting one way. Sums of already-rounded amounts are exact and never rounded.
 */
public final class Money {
    public static final int SCALE = 6;
    public static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;
    public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(SCALE, ROUNDING);
    /** A plain decimal: optional minus, no leading zeros, no exponent, at most six fraction digits. */
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]{0,17})(\\.[0-9]{1,6})?");
    public static final String FORMAT_HINT = "a decimal string with at most 6 fraction digits, such as \"12.50\"";

    private Money() {}

    /** {@code value} at six fraction digits, rounded half-even. */
    public static BigDecimal round(BigDecimal value) {
        return value.setScale(SCALE, ROUNDING);
    }

    /** The wire form: plain notation, exactly six fraction digits ({@code "-1.250000"}). */
    public static String format(BigDecimal value) {
        return round(value).toPlainString();
    }

    /**
     * Parses the wire form strictly: {@code "12"}, {@code "0.35"}, {@code "-3.000001"}; never {@code "1e3"},
     * {@code ".5"}, {@code "+1"}, {@code "01"} or a seventh fraction digit (which would have to be rounded away).
     *
     * @throws IllegalArgumentException naming the rule that failed
     */
    public static BigDecimal parse(String text) {
        if (text == null || !DECIMAL.matcher(text).matches()) {
            throw new IllegalArgumentException("must be " + FORMAT_HINT);
        }
        return round(new BigDecimal(text));
    }

    /**
     * Reads an amount from a request body into {@code errors} (at {@code field}), within {@code [min, max]}.
     * JSON numbers are refused: many JSON clients turn them into binary floating point on the way, and
     * {@code 0.1 + 0.2} is not money.
     *
     * @return the amount, or null when absent (reported when {@code required}) or invalid (reported)
     */
    public static BigDecimal read(JsonNode node, String field, boolean required, BigDecimal min, BigDecimal max,
                                  FieldErrors errors) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            if (required) errors.add(field, "is required (" + FORMAT_HINT + ")");
            return null;
        }
        if (node.isNumber()) {
            errors.add(field, "must be a JSON string such as \"" + node.asText() + "\", not a JSON number:"
                    + " money is exact decimal text (numbers lose precision in many JSON clients)");
            return null;
        }
        if (!node.isTextual()) {
            errors.add(field, "must be " + FORMAT_HINT);
            return null;
        }
        BigDecimal value;
        try {
            value = parse(node.textValue());
        } catch (IllegalArgumentException e) {
            errors.add(field, e.getMessage());
            return null;
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            errors.add(field, "must be between " + min.toPlainString() + " and " + max.toPlainString());
            return null;
        }
        return value;
    }
}
