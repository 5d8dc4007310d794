package dev.galley.server.config;

import dev.galley.core.providers.EpochSchedule;
import dev.galley.core.providers.HardwareEventRetention;
import dev.galley.core.providers.ReputationParameters;
import dev.galley.core.providers.RewardMultipliers;
import dev.galley.core.providers.RewardRates;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * The provider settings of spec §10, read once at start:
 *
 * @param telemetry     GALLEY_TELEMETRY_INTERVAL (default PT60S) and GALLEY_TELEMETRY_RETENTION (default P7D)
 * @param epochs        GALLEY_EPOCH_LENGTH (default P7D, from Sunday 00:00 UTC)
 * @param rates         GALLEY_REWARD_AVAILABILITY, GALLEY_REWARD_EXECUTION, GALLEY_REWARD_PREPARATION: the weekly
 *                      bases A, E, P (default 6, 10, 2)
 * @param settle        GALLEY_EPOCH_SETTLE: how long after its end an epoch is finalized (default: two node TTLs, so
 *                      a node's silence just before the end has been noticed)
 * @param reputation    the reputation formula's knobs (the documented defaults)
 * @param reputationInterval GALLEY_REPUTATION_INTERVAL: how often nodes' reputations are brought up to date
 *                      (default PT15S)
 */
public record ProviderSettings(HardwareEventRetention telemetry, EpochSchedule epochs, RewardRates rates, Duration settle,
                               ReputationParameters reputation, Duration reputationInterval) {
    public static ProviderSettings fromEnvironment(Map<String, String> env, long nodeTtlMs) {
        try {
            HardwareEventRetention telemetry = HardwareEventRetention.fromSettings(blankToNull(env.get("GALLEY_TELEMETRY_INTERVAL")),
                    blankToNull(env.get("GALLEY_TELEMETRY_RETENTION")));
            String length = blankToNull(env.get("GALLEY_EPOCH_LENGTH"));
            EpochSchedule epochs = length == null ? EpochSchedule.WEEKLY : EpochSchedule.ofLength(EpochSchedule.parseLength(length));
            RewardRates rates = new RewardRates(
                    rate(env, "GALLEY_REWARD_AVAILABILITY", RewardRates.DEFAULT.availabilityPerWeek()),
                    rate(env, "GALLEY_REWARD_EXECUTION", RewardRates.DEFAULT.executionPerWeek()),
                    rate(env, "GALLEY_REWARD_PREPARATION", RewardRates.DEFAULT.preparationPerWeek()),
                    RewardMultipliers.CPU_ONLY);
            String settle = blankToNull(env.get("GALLEY_EPOCH_SETTLE"));
            Duration s = settle == null ? Duration.ofMillis(2 * nodeTtlMs)
                    : dev.galley.core.providers.FixedDuration.parse("GALLEY_EPOCH_SETTLE", settle, Duration.ZERO, Duration.ofDays(7));
            String every = blankToNull(env.get("GALLEY_REPUTATION_INTERVAL"));
            Duration r = every == null ? Duration.ofSeconds(60)
                    : dev.galley.core.providers.FixedDuration.parse("GALLEY_REPUTATION_INTERVAL", every, Duration.ofSeconds(1), Duration.ofDays(1));
            return new ProviderSettings(telemetry, epochs, rates, s, ReputationParameters.DEFAULT, r);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    public ProviderSettings withEpochs(EpochSchedule e, Duration settleAfterEnd) {
        return new ProviderSettings(telemetry, e, rates, settleAfterEnd, reputation, reputationInterval);
    }

    public ProviderSettings withTelemetry(HardwareEventRetention t) {
        return new ProviderSettings(t, epochs, rates, settle, reputation, reputationInterval);
    }

    private static BigDecimal rate(Map<String, String> env, String name, BigDecimal def) {
        String raw = blankToNull(env.get(name));
        if (raw == null) return def;
        try {
            BigDecimal v = new BigDecimal(raw.strip());
            if (v.signum() < 0 || v.compareTo(BigDecimal.valueOf(1_000_000)) > 0 || v.scale() > 6) {
                throw new ConfigException(name + " must be a decimal from 0 to 1000000 with at most 6 decimals, got '" + raw + "'");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a decimal number such as 6 or 6.5, got '" + raw + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
