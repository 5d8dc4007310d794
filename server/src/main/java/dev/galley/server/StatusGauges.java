package dev.galley.server;

import dev.galley.core.lifecycle.JobStatus;
import dev.galley.core.lifecycle.NodeStatus;
import dev.galley.server.db.Transactions;
import dev.galley.server.lifecycle.JobRepository;
import dev.galley.server.metrics.Metrics;
import dev.galley.server.nodes.NodeRepository;
import io.micrometer.core.instrument.Gauge;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Jobs and nodes by status for /metrics, refreshed periodically (not per scrape); job totals come from
 * the kept counters, so this stays cheap with millions of jobs.
 */
public final class StatusGauges {
    private final Transactions tx;
    private final JobRepository jobRepo;
    private final NodeRepository nodeRepo;
    private final Map<JobStatus, AtomicLong> jobs = new EnumMap<>(JobStatus.class);
    private final Map<NodeStatus, AtomicLong> nodes = new EnumMap<>(NodeStatus.class);

    public StatusGauges(Transactions tx, JobRepository jobRepo, NodeRepository nodeRepo, Metrics metrics) {
        this.tx = tx;
        this.jobRepo = jobRepo;
        this.nodeRepo = nodeRepo;
        for (JobStatus s : JobStatus.values()) {
            Gauge.builder("galley_jobs", jobs.computeIfAbsent(s, k -> new AtomicLong()), AtomicLong::get).tag("status", s.name())
                    .description("jobs by status").register(metrics.registry());
        }
        for (NodeStatus s : NodeStatus.values()) {
            Gauge.builder("galley_nodes", nodes.computeIfAbsent(s, k -> new AtomicLong()), AtomicLong::get).tag("status", s.name())
                    .description("nodes by status").register(metrics.registry());
        }
    }

    public void refresh() {
        tx.useHandle(h -> {
            Map<JobStatus, Long> j = jobRepo.countByStatus(h);
            jobs.forEach((s, gauge) -> gauge.set(j.getOrDefault(s, 0L)));
            Map<NodeStatus, Long> n = nodeRepo.countByStatus(h);
            nodes.forEach((s, gauge) -> gauge.set(n.getOrDefault(s, 0L)));
        });
    }
}
