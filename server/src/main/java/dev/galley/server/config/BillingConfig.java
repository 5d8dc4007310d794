package dev.galley.server.config;

import dev.galley.core.billing.BillingMode;
import dev.galley.core.billing.Metering;
import dev.galley.core.billing.PlatformFee;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Metering and billing settings (spec §9).
 *
 * @param mode           GALLEY_BILLING: {@code record} (default) or {@code enforce}
 * @param currency       GALLEY_CURRENCY: three capital letters (ISO 4217 style), default USD; one per deployment
 * @param fee            GALLEY_PLATFORM_FEE: the platform's share of each charge, 0..1, default 0.10
 * @param meteringPeriod GALLEY_METERING_PERIOD: ISO-8601 duration between cuts of a running run, whole seconds from
 *                       PT1S to P1D, default PT1H (tests shorten it)
 */
public record BillingConfig(BillingMode mode, String currency, PlatformFee fee, Duration meteringPeriod) {
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}"); // before DEFAULT, which uses it
    public static final BillingConfig DEFAULT = new BillingConfig(BillingMode.RECORD, "USD", PlatformFee.DEFAULT, Duration.ofHours(1));

    public BillingConfig {
        if (!CURRENCY.matcher(currency).matches()) {
            throw new ConfigException("GALLEY_CURRENCY must be three capital letters such as USD or EUR, got '" + currency + "'");
        }
        try {
            Metering.requireValidPeriod(meteringPeriod);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("GALLEY_METERING_PERIOD: " + e.getMessage());
        }
    }

    public static BillingConfig fromEnvironment(Map<String, String> env) {
        BillingMode mode = parse(env, "GALLEY_BILLING", DEFAULT.mode, BillingMode::parse);
        String currency = env.getOrDefault("GALLEY_CURRENCY", DEFAULT.currency).trim();
        PlatformFee fee = parse(env, "GALLEY_PLATFORM_FEE", DEFAULT.fee, PlatformFee::parse);
        Duration period = parse(env, "GALLEY_METERING_PERIOD", DEFAULT.meteringPeriod, text -> {
            try {
                return Duration.parse(text.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("must be an ISO-8601 duration such as PT1H or PT30S");
            }
        });
        return new BillingConfig(mode, currency.isEmpty() ? DEFAULT.currency : currency, fee, period);
    }

    private static <T> T parse(Map<String, String> env, String name, T def, java.util.function.Function<String, T> parser) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) return def;
        try {
            return parser.apply(raw);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + " " + e.getMessage() + " (got '" + raw + "')");
        }
    }

    public BillingConfig withMode(BillingMode m) {
        return new BillingConfig(m, currency, fee, meteringPeriod);
    }

    public BillingConfig withMeteringPeriod(Duration p) {
        return new BillingConfig(mode, currency, fee, p);
    }

    public BillingConfig withFee(PlatformFee f) {
        return new BillingConfig(mode, currency, f, meteringPeriod);
    }

    public BillingConfig withCurrency(String c) {
        return new BillingConfig(mode, c, fee, meteringPeriod);
    }
}
