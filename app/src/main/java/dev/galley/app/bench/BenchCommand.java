package dev.galley.app.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code galley bench}: the performance benchmarks of docs/performance.md. Each starts PostgreSQL and a
 * {@code galley server} process of its own (or uses --url), drives it over signed HTTP from this process, and
 * prints a table; the exit code is 1 when a benchmark saw errors (failed requests, over-commits, wrong totals).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks: cook throughput and latency, placement rate, assignment latency, lists at scale, footprint, metering.",
                "--size tiny runs in seconds (CI); --size full uses the sizes of docs/performance.md (minutes)."},
        subcommands = {BenchCommand.Cook.class, BenchCommand.Placement.class, BenchCommand.AssignLatency.class,
                BenchCommand.Lists.class, BenchCommand.Footprint.class, BenchCommand.Metering.class, BenchCommand.All.class})
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Runs {@code bench} on its own (before or without the root command): {@code java -cp galley.jar dev.galley.app.bench.BenchCommand all}. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    /** One benchmark, ready to run in an environment. */
    @FunctionalInterface
    public interface Bench {
        Result run(BenchEnv env) throws Exception;
    }

    /** Runs benchmarks one after the other in one environment; a benchmark that throws counts as an error. */
    public static List<Result> runAll(BenchOptions opts, PrintStream out, List<String> names, List<Bench> benches) {
        List<Result> results = new ArrayList<>();
        Instant started = Instant.now();
        double load = loadAverage();
        try (BenchEnv env = new BenchEnv(opts, out)) {
            env.log("size %s, work dir %s, %d CPUs, load average %.2f, server JVM options '%s'", opts.size, env.workDir,
                    Runtime.getRuntime().availableProcessors(), load, opts.jvmOpts());
            for (int i = 0; i < benches.size(); i++) {
                long t0 = System.nanoTime();
                Result r;
                try {
                    r = benches.get(i).run(env);
                } catch (Exception | AssertionError e) {
                    r = new Result(names.get(i), opts.size);
                    r.error(1, "the benchmark failed: " + e);
                    e.printStackTrace(out);
                }
                env.log("%s done in %.1f s", names.get(i), (System.nanoTime() - t0) / 1e9);
                results.add(r);
            }
        }
        out.println();
        out.print(Result.table(results));
        for (Result r : results) {
            for (var d : r.details().entrySet()) {
                if (d.getKey().startsWith("EXPLAIN")) out.println("\n" + r.benchmark + ": " + d.getKey() + "\n" + d.getValue());
            }
        }
        if (opts.writeDocs) writeDocs(opts, results, started, load, out);
        return results;
    }

    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static final String BEGIN = "<!-- bench-results:begin (written by `galley bench --write-docs`) -->";
    static final String END = "<!-- bench-results:end -->";

    static void writeDocs(BenchOptions opts, List<Result> results, Instant started, double load, PrintStream out) {
        StringBuilder sb = new StringBuilder(BEGIN).append("\n");
        sb.append("Run of ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(", `--size ").append(opts.size).append("`, ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs, load average ")
                .append(String.format("%.2f", load)).append(" at the start, Java ").append(Runtime.version())
                .append(", server JVM options `").append(opts.jvmOpts()).append("`.\n\n");
        sb.append(Result.markdown(results));
        for (Result r : results) {
            for (String p : r.problems()) sb.append("\n- ").append(r.benchmark).append(": ").append(p);
        }
        sb.append("\n");
        for (Result r : results) {
            for (var d : r.details().entrySet()) {
                sb.append("\n#### ").append(r.benchmark).append(": ").append(d.getKey()).append("\n\n");
                String text = d.getValue();
                sb.append(text.startsWith("```") ? text : "```\n" + text + "```").append("\n");
            }
        }
        sb.append(END);
        try {
            String doc = Files.exists(opts.docsFile) ? Files.readString(opts.docsFile) : "# Performance\n";
            int b = doc.indexOf(BEGIN);
            int e = doc.indexOf(END);
            doc = b >= 0 && e > b ? doc.substring(0, b) + sb + doc.substring(e + END.length())
                    : doc + (doc.endsWith("\n") ? "\n" : "\n\n") + "## Latest results\n\n" + sb + "\n";
            Files.writeString(opts.docsFile, doc);
            out.println("results written to " + opts.docsFile);
        } catch (IOException ex) {
            out.println("could not write " + opts.docsFile + ": " + ex.getMessage());
        }
    }

    static int exitCode(List<Result> results) {
        return results.stream().anyMatch(r -> r.errors() > 0) ? 1 : 0;
    }

    @Command(name = "cook", mixinStandardHelpOptions = true, description = "Signed cooks: closed loop, open loop at a fixed rate, and pgbench for comparison.")
    static final class Cook implements Callable<Integer> {
        @Mixin BenchOptions opts;
        @Option(names = "--concurrency", description = "closed-loop workers (default 8)") Integer concurrency;
        @Option(names = "--seconds", description = "closed-loop duration") Integer seconds;
        @Option(names = "--rate", description = "open-loop requests per second (full: 1000)") Double rate;
        @Option(names = "--open-seconds", description = "open-loop duration") Integer openSeconds;
        @Option(names = "--pgbench-seconds", description = "pgbench duration (full: 10)") Integer pgbenchSeconds;

        CookBenchmark bench() {
            var b = new CookBenchmark(opts.size);
            if (concurrency != null) b.concurrency = concurrency;
            if (seconds != null) b.closed = java.time.Duration.ofSeconds(seconds);
            if (rate != null) b.rate = rate;
            if (openSeconds != null) b.open = java.time.Duration.ofSeconds(openSeconds);
            if (pgbenchSeconds != null) b.pgbenchSeconds = pgbenchSeconds;
            return b;
        }

        @Override
        public Integer call() {
            var b = bench();
            return exitCode(runAll(opts, System.out, List.of("cook"), List.of(env -> b.run(env, opts.size))));
        }
    }

    @Command(name = "placement", mixinStandardHelpOptions = true, description = "Placement rate: simulated nodes and waiting jobs inserted with SQL, timed until placed, then verified.")
    static final class Placement implements Callable<Integer> {
        @Mixin BenchOptions opts;
        @Option(names = "--nodes", description = "simulated nodes (full: 10000)") Integer nodes;
        @Option(names = "--jobs", description = "waiting jobs (full: 100000)") Integer jobs;

        @Override
        public Integer call() {
            var b = new PlacementBenchmark(opts.size);
            if (nodes != null) b.nodes = nodes;
            if (jobs != null) b.jobs = jobs;
            return exitCode(runAll(opts, System.out, List.of("placement"), List.of(env -> b.run(env, opts.size))));
        }
    }

    @Command(name = "assign-latency", mixinStandardHelpOptions = true, description = "Long-polling simulated nodes; time from a cook's response to the node holding the assignment.")
    static final class AssignLatency implements Callable<Integer> {
        @Mixin BenchOptions opts;
        @Option(names = "--nodes", description = "long-polling nodes (full: 100)") Integer nodes;
        @Option(names = "--rate", description = "cooks per second (full: 50)") Double rate;
        @Option(names = "--seconds", description = "duration (full: 30)") Integer seconds;

        @Override
        public Integer call() {
            var b = new AssignLatencyBenchmark(opts.size);
            if (nodes != null) b.nodes = nodes;
            if (rate != null) b.rate = rate;
            if (seconds != null) b.duration = java.time.Duration.ofSeconds(seconds);
            return exitCode(runAll(opts, System.out, List.of("assign-latency"), List.of(env -> b.run(env, opts.size))));
        }
    }

    @Command(name = "lists", mixinStandardHelpOptions = true, description = "GET /v1/jobs on an account with many jobs: first and deep page, with and without a status filter.")
    static final class Lists implements Callable<Integer> {
        @Mixin BenchOptions opts;
        @Option(names = "--jobs", description = "jobs in the account (full: 1000000)") Integer jobs;
        @Option(names = "--page", description = "the deep page (full: 1000)") Integer page;
        @Option(names = "--repetitions", description = "requests per query (full: 200)") Integer repetitions;

        @Override
        public Integer call() {
            var b = new ListsBenchmark(opts.size);
            if (jobs != null) b.jobs = jobs;
            if (page != null) b.deepPage = page;
            if (repetitions != null) b.repetitions = repetitions;
            return exitCode(runAll(opts, System.out, List.of("lists"), List.of(env -> b.run(env, opts.size))));
        }
    }

    @Command(name = "footprint", mixinStandardHelpOptions = true, description = "Start-up time to a healthy /health (cold and warm data dir) and idle resident memory.")
    static final class Footprint implements Callable<Integer> {
        @Mixin BenchOptions opts;

        @Override
        public Integer call() {
            var b = new FootprintBenchmark(opts.size);
            return exitCode(runAll(opts, System.out, List.of("footprint"), List.of(env -> b.run(env, opts.size))));
        }
    }

    @Command(name = "metering", mixinStandardHelpOptions = true, description = "The usage closer: finished runs inserted with SQL, timed until every record, charge, earning and balance is written.")
    static final class Metering implements Callable<Integer> {
        @Mixin BenchOptions opts;
        @Option(names = "--runs", description = "finished runs to meter (full: 100000)") Integer runs;

        @Override
        public Integer call() {
            var b = new MeteringBenchmark(opts.size);
            if (runs != null) b.runs = runs;
            return exitCode(runAll(opts, System.out, List.of("metering"), List.of(env -> b.run(env, opts.size))));
        }
    }

    @Command(name = "all", mixinStandardHelpOptions = true, description = "Every benchmark at the chosen size: footprint, cook, placement, assign-latency, lists, metering.")
    static final class All implements Callable<Integer> {
        @Mixin BenchOptions opts;

        @Override
        public Integer call() {
            return exitCode(all(opts, System.out));
        }
    }

    /** Every benchmark in order (footprint first, so its cold start meets a quiet machine). */
    public static List<Result> all(BenchOptions opts, PrintStream out) {
        Size s = opts.size;
        return runAll(opts, out, List.of("footprint", "cook", "placement", "assign-latency", "lists", "metering"), List.of(
                env -> new FootprintBenchmark(s).run(env, s),
                env -> new CookBenchmark(s).run(env, s),
                env -> new PlacementBenchmark(s).run(env, s),
                env -> new AssignLatencyBenchmark(s).run(env, s),
                env -> new ListsBenchmark(s).run(env, s),
                env -> new MeteringBenchmark(s).run(env, s)));
    }
}
