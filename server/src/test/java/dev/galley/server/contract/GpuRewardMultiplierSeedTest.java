package dev.galley.server.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.galley.core.providers.RewardMultipliers;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the reward multipliers of V20 as text against the GPU seed of V3 and the documented estimate
 * ({@link RewardMultipliers#estimate}), so a hand edit of either file cannot leave a model unrated or rated by
 * something other than the method docs/providers.md describes.
 */
class GpuRewardMultiplierSeedTest {
    private static final String SEED = "/db/migration/V3__seed_gpu_registry_with_nvidia_models.sql";
    private static final String MULTIPLIERS = "/db/migration/V20__add_reward_multipliers_to_the_gpu_registry.sql";
    /** V3 row start: ('uuid', 'name', 'vendor', vram, */
    private static final Pattern SEED_ROW = Pattern.compile("\\(\\s*'[0-9a-f-]{36}'\\s*,\\s*'([^']*)'\\s*,\\s*'[^']*'\\s*,\\s*([0-9.]+)\\s*,");
    /** V20 row: ('name', cores, multiplier) */
    private static final Pattern RATING_ROW = Pattern.compile("\\(\\s*'([^']*)'\\s*,\\s*([0-9]+)\\s*,\\s*([0-9]+\\.[0-9]{2})\\s*\\)");
    private static final Map<String, BigDecimal> PUBLISHED = Map.of(
            "NVIDIA GeForce RTX 5090", new BigDecimal("1.81"), "NVIDIA GeForce RTX 4090", new BigDecimal("1.00"),
            "NVIDIA GeForce RTX 4080", new BigDecimal("0.90"), "NVIDIA GeForce RTX 3090", new BigDecimal("0.85"),
            "NVIDIA GeForce RTX 3080", new BigDecimal("0.75"), "NVIDIA GeForce RTX 3060", new BigDecimal("0.50"));

    record Rating(int cudaCores, BigDecimal multiplier) {}

    private static final Map<String, BigDecimal> vramByName = new LinkedHashMap<>();
    private static final Map<String, Rating> ratings = new LinkedHashMap<>();

    @BeforeAll
    static void parse() throws IOException {
        Matcher seed = SEED_ROW.matcher(read(SEED));
        while (seed.find()) vramByName.put(seed.group(1), new BigDecimal(seed.group(2)));
        Matcher rating = RATING_ROW.matcher(read(MULTIPLIERS));
        while (rating.find()) {
            Rating previous = ratings.put(rating.group(1), new Rating(Integer.parseInt(rating.group(2)), new BigDecimal(rating.group(3))));
            assertThat(previous).as("one rating per model: " + rating.group(1)).isNull();
        }
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = GpuRewardMultiplierSeedTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource + " on the classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everySeededModelIsRatedAndNothingElse() {
        assertThat(vramByName).hasSizeGreaterThanOrEqualTo(50);
        assertThat(ratings.keySet()).containsExactlyInAnyOrderElementsOf(vramByName.keySet());
    }

    @Test
    void dispersedsPublishedValuesAreUsedAsTheyAre() {
        PUBLISHED.forEach((name, value) -> assertThat(ratings.get(name).multiplier()).as(name).isEqualTo(value));
    }

    @Test
    void everyOtherModelHasTheDocumentedEstimateOfItsCoresAndVram() {
        ratings.forEach((name, r) -> {
            if (PUBLISHED.containsKey(name)) return;
            assertThat(r.multiplier()).as(name).isEqualTo(RewardMultipliers.estimate(r.cudaCores(), vramByName.get(name)));
        });
    }

    @Test
    void theBaselineCardsCoresAreTheFormulasBaseline() {
        assertThat(ratings.get("NVIDIA GeForce RTX 4090").cudaCores()).isEqualTo(RewardMultipliers.BASELINE_CUDA_CORES);
        assertThat(vramByName.get("NVIDIA GeForce RTX 4090")).isEqualByComparingTo(RewardMultipliers.BASELINE_VRAM_GB);
    }
}
