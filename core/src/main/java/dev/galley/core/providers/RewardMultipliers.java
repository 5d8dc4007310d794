package dev.galley.core.providers;

import dev.galley.core.gpu.GpuModel;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Objects;

/**
 * Reward multipliers (spec §10): how much an hour of a node's work is worth relative to an RTX 4090 (1.00).
 *
 * <p>The GPU registry holds one {@code reward_multiplier} per model: Dispersed's published values where there are
 * some (RTX 5090 1.81, 4090 1.00, 4080 0.90, 3090 0.85, 3080 0.75, 3060 0.50), and for every other seeded model the
 * {@link #estimate} below. Dispersed weighs GPU cores 36 %, VRAM 26 %, network 15 %, GPU clock 8 %, memory bandwidth
 * 8 % and CPU 4 %. The estimate evaluates what a GPU model fixes and the registry can hold, CUDA cores and VRAM,
 * each relative to the RTX 4090 (16,384 cores, 24 GB). Network and CPU belong to the node, not to the GPU model,
 * so they are taken at the baseline (ratio 1). GPU clock and memory bandwidth are left out, and the sum is divided
 * by the weights used (0.81):
 *
 * <pre>
 *   m = (0.36 × cores / 16384 + 0.26 × vram_gb / 24 + 0.15 + 0.04) / 0.81, rounded half-even to 2 decimals
 * </pre>
 *
 * A node without GPUs gets the same formula with no cores and no VRAM: {@link #CPU_ONLY} = 0.19 / 0.81 = 0.23.
 */
public final class RewardMultipliers {
    public static final int SCALE = 2;
    public static final int BASELINE_CUDA_CORES = 16_384;
    public static final BigDecimal BASELINE_VRAM_GB = BigDecimal.valueOf(24);
    public static final BigDecimal CORES_WEIGHT = new BigDecimal("0.36");
    public static final BigDecimal VRAM_WEIGHT = new BigDecimal("0.26");
    /** Network (0.15) and CPU (0.04): node properties, taken at the baseline. */
    public static final BigDecimal NODE_WEIGHT = new BigDecimal("0.19");
    public static final BigDecimal WEIGHTS_USED = CORES_WEIGHT.add(VRAM_WEIGHT).add(NODE_WEIGHT);
    /** The multiplier of a node without a GPU (or whose GPUs have none in the registry). */
    public static final BigDecimal CPU_ONLY = estimate(0, BigDecimal.ZERO);

    private RewardMultipliers() {}

    /** The documented estimate for a GPU model with {@code cudaCores} CUDA cores and {@code vramGb} GB of memory. */
    public static BigDecimal estimate(int cudaCores, BigDecimal vramGb) {
        if (cudaCores < 0) throw new IllegalArgumentException("CUDA cores must be >= 0");
        if (vramGb.signum() < 0) throw new IllegalArgumentException("VRAM must be >= 0");
        MathContext mc = MathContext.DECIMAL64;
        BigDecimal cores = CORES_WEIGHT.multiply(BigDecimal.valueOf(cudaCores)).divide(BigDecimal.valueOf(BASELINE_CUDA_CORES), mc);
        BigDecimal vram = VRAM_WEIGHT.multiply(vramGb).divide(BASELINE_VRAM_GB, mc);
        return cores.add(vram).add(NODE_WEIGHT).divide(WEIGHTS_USED, mc).setScale(SCALE, RoundingMode.HALF_EVEN);
    }

    /**
     * The node's multiplier: the highest {@code reward_multiplier} among the registry models of its GPUs, or
     * {@code fallback} when it has no GPU with one (no GPUs, or only models nodes added that nobody rated yet; a
     * name a node makes up earns no more than no GPU at all).
     */
    public static BigDecimal best(Collection<GpuModel> gpuModelsOfNode, BigDecimal fallback) {
        Objects.requireNonNull(fallback, "fallback");
        return gpuModelsOfNode.stream()
                .map(GpuModel::rewardMultiplier)
                .filter(Objects::nonNull)
                .max(BigDecimal::compareTo)
                .orElse(fallback);
    }
}
