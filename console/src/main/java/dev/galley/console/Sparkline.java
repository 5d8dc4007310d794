package dev.galley.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A node's load over a time window as two lines for a small inline SVG the template draws: CPU % and RAM used (as a
 * percentage of the sample's RAM total). Points are in a {@link #WIDTH} × {@link #HEIGHT} box, time left to right
 * over the whole window (a gap in the samples stays a gap), 100 % at the top. A sample without a value is left out
 * of that line. {@code latest} is the newest sample in words, for the text next to the drawing.
 */
public record Sparkline(String cpuPoints, String ramPoints, int samples, String latest, String lastCpuX, String lastCpuY) {
    public static final int WIDTH = 120;
    public static final int HEIGHT = 24;
    static final Sparkline NONE = new Sparkline("", "", 0, "", "", "");

    public boolean empty() {
        return samples == 0;
    }

    /** From a page of hardware events (any order) between {@code fromMs} and {@code toMs}. */
    static Sparkline of(JsonNode events, long fromMs, long toMs) {
        List<JsonNode> inWindow = new ArrayList<>();
        for (JsonNode e : events) {
            long t = e.path("timestamp_ms").asLong(-1);
            if (t >= fromMs && t <= toMs) inWindow.add(e);
        }
        if (inWindow.isEmpty()) return NONE;
        inWindow.sort(java.util.Comparator.comparingLong(e -> e.path("timestamp_ms").asLong()));
        double span = Math.max(1, toMs - fromMs);
        StringBuilder cpu = new StringBuilder();
        StringBuilder ram = new StringBuilder();
        String lastX = "";
        String lastY = "";
        for (JsonNode e : inWindow) {
            String x = coordinate((e.path("timestamp_ms").asLong() - fromMs) / span * WIDTH);
            if (e.path("cpu_percent").isNumber()) {
                lastX = x;
                lastY = y(e.path("cpu_percent").asDouble());
                append(cpu, x, lastY);
            }
            double total = e.path("ram_total_gb").asDouble(0);
            if (e.path("ram_used_gb").isNumber() && total > 0) append(ram, x, y(100 * e.path("ram_used_gb").asDouble() / total));
        }
        return new Sparkline(cpu.toString(), ram.toString(), inWindow.size(), describe(inWindow.getLast()), lastX, lastY);
    }

    /** "CPU 12.5 % · RAM 3.5 of 31.2 GB", with what the sample lacks left out. */
    static String describe(JsonNode e) {
        List<String> parts = new ArrayList<>();
        if (e.path("cpu_percent").isNumber()) parts.add("CPU " + e.path("cpu_percent").asText() + " %");
        if (e.path("ram_used_gb").isNumber()) {
            parts.add("RAM " + e.path("ram_used_gb").asText()
                    + (e.path("ram_total_gb").isNumber() ? " of " + e.path("ram_total_gb").asText() : "") + " GB");
        }
        return parts.isEmpty() ? "no CPU or RAM reading" : String.join(" · ", parts);
    }

    private static String y(double percent) {
        double clamped = Math.max(0, Math.min(100, percent));
        return coordinate(HEIGHT - clamped / 100 * HEIGHT);
    }

    private static String coordinate(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static void append(StringBuilder points, String x, String y) {
        if (!points.isEmpty()) points.append(' ');
        points.append(x).append(',').append(y);
    }
}
