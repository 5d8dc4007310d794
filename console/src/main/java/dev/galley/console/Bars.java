package dev.galley.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A bar chart drawn as inline SVG by the template: each bar's label, its amount as the API wrote it (an exact
 * decimal string) and its length as a fraction of the largest (only the drawing is approximate).
 */
public record Bars(List<Bar> bars) {
    public record Bar(String label, String amount, double fraction) {
        /** The bar's length in a chart {@code size} units long, at least one unit when the amount is not zero. */
        public long length(int size) {
            return fraction == 0 ? 0 : Math.max(1, Math.round(fraction * size));
        }
    }

    /** From a usage summary's groups ({@code key}, {@code amount}). */
    static Bars ofSummary(JsonNode summary, String nullKey) {
        List<JsonNode> groups = new ArrayList<>();
        summary.path("data").forEach(groups::add);
        BigDecimal max = BigDecimal.ZERO;
        for (JsonNode g : groups) max = max.max(amount(g).abs());
        List<Bar> bars = new ArrayList<>();
        for (JsonNode g : groups) {
            String label = g.path("key").isNull() ? nullKey : g.path("key").asText();
            double fraction = max.signum() == 0 ? 0 : amount(g).abs().doubleValue() / max.doubleValue();
            bars.add(new Bar(label, g.path("amount").asText(), fraction));
        }
        return new Bars(bars);
    }

    private static BigDecimal amount(JsonNode g) {
        try {
            return new BigDecimal(g.path("amount").asText("0"));
        } catch (NumberFormatException e) {
            return BigDecimal.ZERO;
        }
    }
}
