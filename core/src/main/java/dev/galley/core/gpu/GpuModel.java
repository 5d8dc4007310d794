package dev.galley.core.gpu;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * One entry of the GPU registry: a model with its canonical name and the other names it goes by, and what an hour
 * of work on it is worth in provider rewards relative to an RTX 4090 ({@code rewardMultiplier}, spec §10; null for
 * models nodes added that nobody has rated).
 */
public record GpuModel(UUID uuid, String name, String vendor, double vramGb, List<String> aliases, BigDecimal rewardMultiplier) {
    public GpuModel {
        aliases = List.copyOf(aliases);
        if (rewardMultiplier != null && rewardMultiplier.signum() < 0) {
            throw new IllegalArgumentException("a reward multiplier must be >= 0, not " + rewardMultiplier.toPlainString());
        }
    }

    /** A model without a reward multiplier (what placement and most tests need). */
    public GpuModel(UUID uuid, String name, String vendor, double vramGb, List<String> aliases) {
        this(uuid, name, vendor, vramGb, aliases, null);
    }

    /** True when {@code candidate} is this model's name or one of its aliases, ignoring case and extra spaces. */
    public boolean answersTo(String candidate) {
        String wanted = normalize(candidate);
        if (normalize(name).equals(wanted)) return true;
        for (String alias : aliases) if (normalize(alias).equals(wanted)) return true;
        return false;
    }

    public static String normalize(String s) {
        return s == null ? "" : s.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
