package dev.galley.node.hardware;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What every {@code nvidia-smi --query-gpu=… --format=csv,noheader,nounits} output shares: one GPU a line, columns
 * separated by {@code ", "} (GPU names never contain commas), and its ways of saying "no value".
 */
final class NvidiaSmiCsv {
    /**
     * {@code [N/A]} (the usual), {@code N/A} (older drivers), and the other bracketed reasons drivers print instead of
     * a value: {@code [Not Supported]} (e.g. per-GPU utilization in MIG mode on some drivers, power on older
     * GeForce cards), {@code [Unknown Error]}, {@code [Insufficient Permissions]}, {@code [GPU is lost]}.
     */
    private static final Pattern NOT_AVAILABLE = Pattern.compile("\\[[^\\]]*]|N/A|Not Supported", Pattern.CASE_INSENSITIVE);

    private NvidiaSmiCsv() {}

    static boolean isNotAvailable(String value) {
        return NOT_AVAILABLE.matcher(value).matches();
    }

    /** One non-blank line, split into stripped columns, with its 1-based line number for messages. */
    record Row(int lineNo, String line, String[] cols) {
        NvidiaSmiFormatException problem(String what) {
            return new NvidiaSmiFormatException("nvidia-smi line " + lineNo + ": " + what + ": '" + line + "'");
        }
    }

    /** The rows of {@code csv}; a line with another number of columns than {@code columns} names means a misread. */
    static List<Row> rows(String csv, List<String> columns) {
        List<Row> rows = new ArrayList<>();
        String[] lines = csv.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) continue;
            String[] cols = line.split(",", -1);
            if (cols.length != columns.size()) {
                throw new NvidiaSmiFormatException("nvidia-smi line " + (i + 1) + " has " + cols.length + " columns, expected "
                        + columns.size() + " (" + String.join(", ", columns) + "): '" + line + "'");
            }
            for (int c = 0; c < cols.length; c++) cols[c] = cols[c].strip();
            rows.add(new Row(i + 1, line, cols));
        }
        return rows;
    }
}
