package dev.galley.app.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one benchmark measured: named numbers (some with a target), its error count (failed requests,
 * over-commits, wrong totals…; must be 0), and free text (EXPLAIN plans, JFR hot spots) for the docs.
 */
public final class Result {
    public enum Check { NONE, AT_LEAST, AT_MOST }

    public record Metric(String name, double value, String unit, Check check, double target) {
        public Boolean pass() {
            if (check == Check.NONE || Double.isNaN(value)) return check == Check.NONE ? null : Boolean.FALSE;
            return check == Check.AT_LEAST ? value >= target : value <= target;
        }

        public String targetText() {
            return switch (check) {
                case NONE -> "";
                case AT_LEAST -> "≥ " + fmt(target) + unitSuffix();
                case AT_MOST -> "≤ " + fmt(target) + unitSuffix();
            };
        }

        public String valueText() {
            return fmt(value) + unitSuffix();
        }

        private String unitSuffix() {
            return unit.isEmpty() ? "" : unit.equals("%") ? "%" : " " + unit;
        }
    }

    public final String benchmark;
    public final Size size;
    private final List<Metric> metrics = new ArrayList<>();
    private final Map<String, String> details = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private long errors;

    public Result(String benchmark, Size size) {
        this.benchmark = benchmark;
        this.size = size;
    }

    public Result metric(String name, double value, String unit) {
        metrics.add(new Metric(name, value, unit, Check.NONE, Double.NaN));
        return this;
    }

    public Result atLeast(String name, double value, String unit, double target) {
        metrics.add(new Metric(name, value, unit, Check.AT_LEAST, target));
        return this;
    }

    public Result atMost(String name, double value, String unit, double target) {
        metrics.add(new Metric(name, value, unit, Check.AT_MOST, target));
        return this;
    }

    /** Latency percentiles as four metrics; the target (if any) applies to p99. */
    public Result latency(String prefix, Stats s, double p99TargetMs) {
        metric(prefix + " p50", s.p50Ms(), "ms");
        metric(prefix + " p90", s.p90Ms(), "ms");
        if (Double.isNaN(p99TargetMs)) metric(prefix + " p99", s.p99Ms(), "ms");
        else atMost(prefix + " p99", s.p99Ms(), "ms", p99TargetMs);
        metric(prefix + " max", s.maxMs(), "ms");
        return this;
    }

    public Result cpu(String phase, double[] pct) {
        metric(phase + " CPU load generator", pct[0], "%");
        metric(phase + " CPU server", pct[1], "%");
        metric(phase + " CPU PostgreSQL", pct[2], "%");
        return this;
    }

    public void error(long count, String what) {
        if (count <= 0) return;
        errors += count;
        problems.add(count + " × " + what);
    }

    public void detail(String title, String text) {
        details.put(title, text);
    }

    public long errors() {
        return errors;
    }

    public List<String> problems() {
        return problems;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    public Map<String, String> details() {
        return details;
    }

    public Double value(String metricName) {
        return metrics.stream().filter(m -> m.name().equals(metricName)).map(Metric::value).findFirst().orElse(null);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) return "n/a";
        if (v == Math.rint(v) && Math.abs(v) < 1e12) return String.format("%,d", (long) v);
        if (Math.abs(v) >= 100) return String.format("%,.0f", v);
        if (Math.abs(v) >= 10) return String.format("%.1f", v);
        return String.format("%.2f", v);
    }

    /** A plain-text table of every result, for the terminal. */
    public static String table(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-15s %-44s %16s %14s  %s%n";
        sb.append(String.format(fmt, "benchmark", "metric", "value", "target", ""));
        sb.append("-".repeat(98)).append('\n');
        for (Result r : results) {
            for (Metric m : r.metrics) {
                Boolean pass = m.pass();
                sb.append(String.format(fmt, r.benchmark, m.name(), m.valueText(), m.targetText(),
                        pass == null ? "" : pass ? "PASS" : "MISS"));
            }
            sb.append(String.format(fmt, r.benchmark, "errors", Long.toString(r.errors), "= 0", r.errors == 0 ? "PASS" : "FAIL"));
            for (String p : r.problems) sb.append("    ! ").append(p).append('\n');
        }
        return sb.toString();
    }

    /** The same as a Markdown table (docs/performance.md). */
    public static String markdown(List<Result> results) {
        StringBuilder sb = new StringBuilder("| benchmark | metric | value | target | |\n|---|---|---:|---|---|\n");
        for (Result r : results) {
            for (Metric m : r.metrics) {
                Boolean pass = m.pass();
                sb.append("| ").append(r.benchmark).append(" | ").append(m.name()).append(" | ").append(m.valueText())
                        .append(" | ").append(m.targetText()).append(" | ").append(pass == null ? "" : pass ? "pass" : "**miss**").append(" |\n");
            }
            sb.append("| ").append(r.benchmark).append(" | errors | ").append(r.errors).append(" | = 0 | ")
                    .append(r.errors == 0 ? "pass" : "**fail**").append(" |\n");
        }
        return sb.toString();
    }
}
