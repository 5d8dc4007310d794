package dev.galley.node.hardware;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the output of
 * {@code nvidia-smi --query-gpu=index,name,memory.total,uuid --format=csv,noheader,nounits}, one GPU a
 * line: {@code 0, NVIDIA GeForce RTX 4090, 24564, GPU-5a1b…}.
 *
 * <p>memory.total is MiB; it becomes GB (MiB / 1024, one decimal). nvidia-smi prints {@code [N/A]} (or another
 * bracketed reason, see {@link NvidiaSmiCsv}) for values a device cannot report (unified-memory parts, some
 * consumer cards): the GPU still counts, with 0 GB VRAM or a null uuid. A missing index falls back to the line's
 * position. Anything else that does not fit — a wrong column count, a non-numeric index or memory, a blank name —
 * is not silently skipped: it means the probe is misreading the machine, so it throws
 * {@link NvidiaSmiFormatException}.
 */
public final class NvidiaSmiParser {
    /** The query the parser expects; the probe runs exactly this. */
    public static final List<String> QUERY_ARGS =
            List.of("--query-gpu=index,name,memory.total,uuid", "--format=csv,noheader,nounits");
    private static final List<String> COLUMNS = List.of("index", "name", "memory.total", "uuid");

    private NvidiaSmiParser() {}

    public static List<Hardware.Gpu> parse(String csv) {
        List<Hardware.Gpu> gpus = new ArrayList<>();
        for (NvidiaSmiCsv.Row row : NvidiaSmiCsv.rows(csv, COLUMNS)) {
            String[] cols = row.cols();
            int index = NvidiaSmiCsv.isNotAvailable(cols[0]) ? gpus.size() : parseNumber(cols[0], "index", row);
            String name = cols[1];
            if (name.isEmpty() || NvidiaSmiCsv.isNotAvailable(name)) {
                throw new NvidiaSmiFormatException("nvidia-smi line " + row.lineNo() + " has no GPU name: '" + row.line() + "'");
            }
            double vramGb = NvidiaSmiCsv.isNotAvailable(cols[2]) ? 0.0 : Gigabytes.fromMib(parseNumber(cols[2], "memory.total", row));
            String uuid = NvidiaSmiCsv.isNotAvailable(cols[3]) || cols[3].isEmpty() ? null : cols[3];
            gpus.add(new Hardware.Gpu(index, name, vramGb, uuid, false));
        }
        return List.copyOf(gpus);
    }

    private static int parseNumber(String text, String column, NvidiaSmiCsv.Row row) {
        try {
            int value = Integer.parseInt(text);
            if (value < 0) throw new NumberFormatException("negative");
            return value;
        } catch (NumberFormatException e) {
            throw row.problem(column + " '" + text + "' is not a non-negative integer (was the query run with nounits?)");
        }
    }
}
