package dev.galley.server.metrics;

import io.micrometer.core.instrument.Gauge;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;

/**
 * Jobs and nodes by status for /metrics, refreshed periodically (not per scrape); job totals come from
 * the kept counters, so this stays cheap with millions of jobs.
 */
public final class StatusGauges {
    private static final List<String> JOB_STATUSES = List.of("PENDING", "ASSIGNED", "RUNNING", "COMPLETED", "FAILED", "CANCELLING", "CANCELLED");
    private static final List<String> NODE_STATUSES = List.of("ONLINE", "OFFLINE", "DRAINING");
    private final Jdbi jdbi;
    private final Map<String, AtomicLong> jobs = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> nodes = new ConcurrentHashMap<>();

    public StatusGauges(Jdbi jdbi, Metrics metrics) {
        this.jdbi = jdbi;
        for (String s : JOB_STATUSES) {
            AtomicLong v = jobs.computeIfAbsent(s, k -> new AtomicLong());
            Gauge.builder("galley_jobs", v, AtomicLong::get).tag("status", s).description("jobs by status").register(metrics.registry());
        }
        for (String s : NODE_STATUSES) {
            AtomicLong v = nodes.computeIfAbsent(s, k -> new AtomicLong());
            Gauge.builder("galley_nodes", v, AtomicLong::get).tag("status", s).description("nodes by status").register(metrics.registry());
        }
    }

    public void refresh() {
        jdbi.useHandle(h -> {
            Map<String, Long> j = new java.util.HashMap<>();
            // From the kept counters (migration V7), never a COUNT over the jobs table.
            h.createQuery("""
                    SELECT status, sum(n) FROM (SELECT status, n FROM job_counts
                                                UNION ALL SELECT status, delta FROM job_count_deltas) x GROUP BY status""")
                    .map((rs, c) -> j.put(rs.getString(1), rs.getLong(2))).list();
            JOB_STATUSES.forEach(s -> jobs.get(s).set(j.getOrDefault(s, 0L)));
            Map<String, Long> n = new java.util.HashMap<>();
            h.createQuery("SELECT status, count(*) FROM nodes GROUP BY status").map((rs, c) -> n.put(rs.getString(1), rs.getLong(2))).list();
            NODE_STATUSES.forEach(s -> nodes.get(s).set(n.getOrDefault(s, 0L)));
        });
    }
}
