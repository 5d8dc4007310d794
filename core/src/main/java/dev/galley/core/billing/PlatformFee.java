package dev.galley.core.billing;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The platform's share of what consumers pay (GALLEY_PLATFORM_FEE, default 0.10). For each usage record of
 * {@code amount}: the consumer is charged {@code −amount} exactly, the node's provider earns
 * {@code amount × (1 − rate)} rounded half-even to six digits, and the platform keeps the difference. Charge and
 * earning are each exact at six digits; the platform's share absorbs the rounding.
 */
public record PlatformFee(BigDecimal rate) {
    public static final PlatformFee DEFAULT = new PlatformFee(new BigDecimal("0.10"));

    public PlatformFee {
        Objects.requireNonNull(rate, "rate");
        if (rate.signum() < 0 || rate.compareTo(BigDecimal.ONE) > 0 || rate.stripTrailingZeros().scale() > Money.SCALE) {
            throw new IllegalArgumentException("the platform fee must be a decimal from 0 to 1 with at most 6 fraction digits, got "
                    + rate.toPlainString());
        }
        rate = Money.round(rate); // one scale, so that equal fees are equal records
    }

    /** Parses e.g. {@code "0.10"}. @throws IllegalArgumentException naming the rule */
    public static PlatformFee parse(String text) {
        return new PlatformFee(Money.parse(text == null ? null : text.trim()));
    }

    /** The two ledger amounts one usage record gives. */
    public record Split(BigDecimal charge, BigDecimal earning) {
        /** What the platform keeps: amount − earning. */
        public BigDecimal platformShare() {
            return charge.negate().subtract(earning);
        }
    }

    /** {@code amount} is a usage record's amount (≥ 0, six digits). */
    public Split split(BigDecimal amount) {
        if (amount.signum() < 0) throw new IllegalArgumentException("a usage amount is never negative: " + amount);
        BigDecimal charge = Money.round(amount).negate();
        BigDecimal earning = Money.round(amount.multiply(BigDecimal.ONE.subtract(rate)));
        return new Split(charge, earning);
    }
}
