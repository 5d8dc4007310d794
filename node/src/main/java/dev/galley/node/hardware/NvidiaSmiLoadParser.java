package dev.galley.node.hardware;

import dev.galley.core.providers.HardwareSample;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the load query the telemetry sampler runs,
 * {@code nvidia-smi --query-gpu=index,name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw
 * --format=csv,noheader,nounits}, one GPU a line:
 * {@code 0, NVIDIA H100 80GB HBM3, 100, 19818, 81559, 59, 631.95} (percent, MiB, MiB, °C, W).
 *
 * <p>A value the device cannot report — {@code [N/A]}, {@code N/A}, {@code [Not Supported]}, any bracketed reason
 * ({@link NvidiaSmiCsv}) — becomes null and the GPU still counts: a GPU in MIG mode has no whole-GPU utilization,
 * many GeForce cards report no power draw. Memory becomes GB (MiB / 1024, two decimals). A line that does not fit
 * the query (wrong column count, units in the numbers, no name) throws {@link NvidiaSmiFormatException}.
 */
public final class NvidiaSmiLoadParser {
    public static final List<String> COLUMNS = List.of("index", "name", "utilization.gpu", "memory.used", "memory.total",
            "temperature.gpu", "power.draw");
    /** The query the sampler runs. */
    public static final List<String> QUERY_ARGS =
            List.of("--query-gpu=" + String.join(",", COLUMNS), "--format=csv,noheader,nounits");

    private NvidiaSmiLoadParser() {}

    public static List<HardwareSample.Gpu> parse(String csv) {
        List<HardwareSample.Gpu> gpus = new ArrayList<>();
        for (NvidiaSmiCsv.Row row : NvidiaSmiCsv.rows(csv, COLUMNS)) {
            String[] c = row.cols();
            Double index = number(c[0], "index", row);
            if (index != null && index != Math.rint(index)) throw row.problem("index '" + c[0] + "' is not a whole number");
            if (c[1].isEmpty() || NvidiaSmiCsv.isNotAvailable(c[1])) throw row.problem("no GPU name");
            Double utilization = number(c[2], "utilization.gpu", row);
            Double used = number(c[3], "memory.used", row);
            Double total = number(c[4], "memory.total", row);
            Double temperature = number(c[5], "temperature.gpu", row);
            Double power = number(c[6], "power.draw", row);
            gpus.add(new HardwareSample.Gpu(index == null ? gpus.size() : index.intValue(), c[1], utilization,
                    used == null ? null : Gigabytes.hundredthsFromMib(used), total == null ? null : Gigabytes.hundredthsFromMib(total),
                    temperature, power));
        }
        return List.copyOf(gpus);
    }

    /** A non-negative finite number, or null for nvidia-smi's "no value". */
    private static Double number(String text, String column, NvidiaSmiCsv.Row row) {
        if (NvidiaSmiCsv.isNotAvailable(text)) return null;
        try {
            double v = Double.parseDouble(text);
            if (!Double.isFinite(v) || v < 0 || text.chars().anyMatch(ch -> Character.isLetter(ch))) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw row.problem(column + " '" + text + "' is not a non-negative number (was the query run with nounits?)");
        }
    }
}
