package dev.galley.node.hardware;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the output of
 * {@code nvidia-smi --query-gpu=index,name,memory.total,uuid --format=csv,noheader,nounits}, one GPU a
 * line: {@code 0, NVIDIA GeForce RTX 4090, 24564, GPU-5a1b…}.
 *
 * <p>memory.total is MiB; it becomes GB (MiB / 1024, one decimal). nvidia-smi prints {@code [N/A]} for
 * values a device cannot report (unified-memory parts, some consumer cards): the GPU still counts,
 * with 0 GB VRAM or a null uuid. A missing index falls back to the line's position. Anything else that
 * does not fit — a wrong column count, a non-numeric index or memory, a blank name — is not silently
 * skipped: it means the probe is misreading the machine, so it throws {@link NvidiaSmiFormatException}.
 */
public final class NvidiaSmiParser {
    /** The query the parser expects; the probe runs exactly this. */
    public static final List<String> QUERY_ARGS =
            List.of("--query-gpu=index,name,memory.total,uuid", "--format=csv,noheader,nounits");

    private static final String NOT_AVAILABLE = "[N/A]";

    private NvidiaSmiParser() {}

    public static List<Hardware.Gpu> parse(String csv) {
        List<Hardware.Gpu> gpus = new ArrayList<>();
        String[] lines = csv.split("\\R");
        for (int lineNo = 0; lineNo < lines.length; lineNo++) {
            String line = lines[lineNo].strip();
            if (line.isEmpty()) continue;
            // GPU names never contain commas, so a plain split is exact for this query.
            String[] cols = line.split(",", -1);
            if (cols.length != 4) {
                throw new NvidiaSmiFormatException("nvidia-smi line " + (lineNo + 1) + " has " + cols.length
                        + " columns, expected 4 (index, name, memory.total, uuid): '" + line + "'");
            }
            String indexText = cols[0].strip();
            String name = cols[1].strip();
            String memText = cols[2].strip();
            String uuidText = cols[3].strip();
            int index = isNotAvailable(indexText) ? gpus.size() : parseNumber(indexText, "index", lineNo, line);
            if (name.isEmpty() || isNotAvailable(name)) {
                throw new NvidiaSmiFormatException("nvidia-smi line " + (lineNo + 1) + " has no GPU name: '" + line + "'");
            }
            double vramGb = isNotAvailable(memText) ? 0.0 : Gigabytes.fromMib(parseNumber(memText, "memory.total", lineNo, line));
            String uuid = isNotAvailable(uuidText) || uuidText.isEmpty() ? null : uuidText;
            gpus.add(new Hardware.Gpu(index, name, vramGb, uuid, false));
        }
        return List.copyOf(gpus);
    }

    private static boolean isNotAvailable(String value) {
        return value.equalsIgnoreCase(NOT_AVAILABLE) || value.equalsIgnoreCase("N/A");
    }

    private static int parseNumber(String text, String column, int lineNo, String line) {
        try {
            int value = Integer.parseInt(text);
            if (value < 0) throw new NumberFormatException("negative");
            return value;
        } catch (NumberFormatException e) {
            throw new NvidiaSmiFormatException("nvidia-smi line " + (lineNo + 1) + ": " + column + " '" + text
                    + "' is not a non-negative integer (was the query run with nounits?): '" + line + "'");
        }
    }
}
