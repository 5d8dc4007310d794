package dev.galley.core.gpu;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** One entry of the GPU registry: a model with its canonical name and the other names it goes by. */
public record GpuModel(UUID uuid, String name, String vendor, double vramGb, List<String> aliases) {
    public GpuModel {
        aliases = List.copyOf(aliases);
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
