package dev.galley.core.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The rate card a new deployment starts with (spec §9), per hour in the deployment's currency, effective from the
 * epoch so that every run, whenever it started, has a price. Operators change it with {@code POST /v1/prices};
 * these values are a starting point, not a promise.
 *
 * <p>GPU prices follow what GPU clouds asked per GPU-hour in 2025–2026 (RTX 4090 about 0.35, H100 SXM about 2.50),
 * keyed by the seeded registry uuids (V3 migration). A model without a price of its own (a model a node added)
 * costs {@link #DEFAULT_GPU}. CPU 0.01 per core-hour and RAM 0.002 per GB-hour are the spec's; storage 0.0001 per
 * GB-hour is about 0.07 per GB-month.
 */
public final class DefaultRateCard {
    /** The instant the seeded card takes effect: the epoch, before any run. */
    public static final Instant EFFECTIVE_FROM = Instant.EPOCH;
    public static final BigDecimal DEFAULT_GPU = new BigDecimal("0.50");
    public static final BigDecimal CPU_CORE = new BigDecimal("0.01");
    public static final BigDecimal RAM_GB = new BigDecimal("0.002");
    public static final BigDecimal STORAGE_GB = new BigDecimal("0.0001");

    /** One seeded price. */
    public record Seed(PriceResource resource, UUID gpuModel, BigDecimal amountPerHour) {}

    private DefaultRateCard() {}

    /** Registry uuid suffix (see V3: 1xx data centre, 2xx workstation, 3xx GeForce) and price per GPU-hour. */
    private static final Object[][] GPUS = {
            {101, "5.00"}, {102, "4.50"}, {103, "6.00"}, {104, "3.50"}, {105, "2.50"}, {106, "2.20"}, {107, "2.80"},
            {108, "2.30"}, {109, "1.50"}, {110, "1.30"}, {111, "1.10"}, {112, "1.00"}, {113, "1.40"}, {114, "0.90"},
            {115, "0.80"}, {116, "0.40"}, {117, "0.50"}, {118, "0.45"}, {119, "0.35"}, {120, "0.40"}, {121, "0.25"},
            {122, "0.15"}, {123, "0.20"}, {124, "0.45"}, {125, "0.35"},
            {201, "1.50"}, {202, "0.80"}, {203, "0.50"}, {204, "0.30"}, {205, "0.20"},
            {301, "0.60"}, {302, "0.30"}, {303, "0.25"}, {304, "0.18"},
            {311, "0.35"}, {312, "0.25"}, {313, "0.22"}, {314, "0.18"}, {315, "0.16"}, {316, "0.15"}, {317, "0.13"},
            {318, "0.10"}, {319, "0.12"}, {320, "0.08"}, {321, "0.25"}, {322, "0.22"}, {323, "0.17"}, {324, "0.15"},
            {325, "0.12"}, {326, "0.10"}, {327, "0.09"}, {328, "0.08"}};

    /** The seeded registry uuid with this suffix, e.g. 311 for the RTX 4090. */
    public static UUID seededModel(int suffix) {
        return UUID.fromString("6a1e5eed-0000-4000-8000-000000000" + suffix);
    }

    /** Every seeded price: one per seeded GPU model, the default GPU price, CPU core, RAM GB and storage GB. */
    public static List<Seed> seeds() {
        List<Seed> out = new ArrayList<>();
        for (Object[] g : GPUS) out.add(new Seed(PriceResource.GPU, seededModel((Integer) g[0]), new BigDecimal((String) g[1])));
        out.add(new Seed(PriceResource.GPU, null, DEFAULT_GPU));
        out.add(new Seed(PriceResource.CPU_CORE, null, CPU_CORE));
        out.add(new Seed(PriceResource.RAM_GB, null, RAM_GB));
        out.add(new Seed(PriceResource.STORAGE_GB, null, STORAGE_GB));
        return out;
    }
}
