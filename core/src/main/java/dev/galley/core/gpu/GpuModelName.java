package dev.galley.core.gpu;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a GPU model name a node reports may look like. Unknown names join the shared registry that every
 * tenant reads, so they are held to what real tools print ("NVIDIA H100 80GB HBM3", "Tesla V100-SXM2-16GB",
 * "Intel(R) Data Center GPU Max 1550"): at most {@value #MAX_LENGTH} characters of ASCII letters, digits,
 * spaces and {@code . _ - ( ) / + , :}.
 */
public final class GpuModelName {
    public static final int MAX_LENGTH = 100;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9 ._()/+,:-]+");

    private GpuModelName() {}

    /** Why {@code name} is not acceptable, or empty when it is. */
    public static Optional<String> problem(String name) {
        if (name == null || name.isBlank()) return Optional.of("is required (the model as nvidia-smi reports it)");
        if (name.length() > MAX_LENGTH) return Optional.of("must be at most " + MAX_LENGTH + " characters");
        if (!ALLOWED.matcher(name).matches()) {
            return Optional.of("may contain only ASCII letters, digits, spaces and . _ - ( ) / + , :");
        }
        return Optional.empty();
    }
}
