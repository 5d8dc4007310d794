package dev.galley.app.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code galley bench all --size tiny} against real server processes on a real PostgreSQL, so the benchmarks never
 * rot: every benchmark must produce its numbers with zero errors (failed requests, over-commits, wrong totals).
 * Targets are not asserted: tiny sizes on a shared CI machine say nothing about them.
 */
class BenchTinyIT {
    @Test
    void everyBenchmarkProducesNumbersAndNoErrors() {
        BenchOptions opts = new BenchOptions();
        opts.size = Size.tiny;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        List<Result> results = BenchCommand.all(opts, out);
        String log = buf.toString(StandardCharsets.UTF_8);
        System.out.println(log);

        Map<String, Result> byName = results.stream().collect(Collectors.toMap(r -> r.benchmark, Function.identity()));
        assertThat(byName).containsOnlyKeys("footprint", "cook", "placement", "assign-latency", "lists", "metering");
        for (Result r : results) {
            assertThat(r.errors()).as("%s errors: %s%n%s", r.benchmark, r.problems(), log).isZero();
            assertThat(r.metrics()).as(r.benchmark).isNotEmpty();
        }
        positive(byName.get("footprint"), "start-up to healthy /health, cold data dir", "start-up to healthy /health, warm data dir",
                "server RSS idle");
        positive(byName.get("cook"), "closed-loop cooks/s", "pgbench tps (cook-equivalent transaction)", "closed-loop latency p99",
                "open-loop latency p99", "open-loop completed/s");
        positive(byName.get("placement"), "runs placed/s", "jobs ASSIGNED", "server RSS after placement");
        assertThat(byName.get("placement").value("over-committed nodes")).isZero();
        assertThat(byName.get("placement").value("runs placed twice")).isZero();
        positive(byName.get("assign-latency"), "assignments received", "cook → node has the assignment p99");
        positive(byName.get("lists"), "sort=-created_at, page 1 p99", "status=COMPLETED, page 1 p99");
        assertThat(byName.get("lists").details()).isNotEmpty(); // the EXPLAIN ANALYZE plans
        positive(byName.get("metering"), "usage records written", "usage records closed/s (record + charge + earning + balances)");
    }

    private static void positive(Result r, String... metrics) {
        for (String m : metrics) {
            Double v = r.value(m);
            assertThat(v).as("%s: %s", r.benchmark, m).isNotNull();
            assertThat(v).as("%s: %s", r.benchmark, m).isFinite().isGreaterThan(0.0);
        }
    }
}
