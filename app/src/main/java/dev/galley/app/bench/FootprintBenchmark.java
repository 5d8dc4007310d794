package dev.galley.app.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Benchmark 5: {@code galley server} in its default embedded-PostgreSQL mode: time from process start to a
 * healthy /health with a cold data directory (initdb + migrations) and a warm one, and resident memory idle.
 * Resident memory after the placement benchmark is reported by that benchmark.
 */
public final class FootprintBenchmark {
    public Duration idle;

    public FootprintBenchmark(Size size) {
        idle = Duration.ofSeconds(size.pick(1, 10));
    }

    public Result run(BenchEnv env, Size size) {
        Result result = new Result("footprint", size);
        if (env.external()) {
            result.metric("(skipped: needs to start its own server)", Double.NaN, "");
            return result;
        }
        Path dataDir = env.workDir.resolve("footprint-data");
        String key = BenchEnv.randomKey();
        double cold;
        double idleRss;
        try (ServerProcess s = env.spawnEmbedded("footprint-cold", dataDir, key)) {
            cold = s.awaitHealthy(Duration.ofSeconds(120));
            env.log("footprint: cold start healthy after %.2f s; idling %d s", cold, idle.toSeconds());
            ServerProcess.sleep(idle.toMillis());
            idleRss = s.rssMb();
        }
        double warm;
        double warmRss;
        try (ServerProcess s = env.spawnEmbedded("footprint-warm", dataDir, key)) {
            warm = s.awaitHealthy(Duration.ofSeconds(120));
            ServerProcess.sleep(Math.min(2000, idle.toMillis()));
            warmRss = s.rssMb();
            env.log("footprint: warm start healthy after %.2f s", warm);
        }
        result.atMost("start-up to healthy /health, cold data dir", cold, "s", 10);
        result.atMost("start-up to healthy /health, warm data dir", warm, "s", 5);
        result.atMost("server RSS idle", idleRss, "MB", 300);
        result.metric("server RSS idle after warm start", warmRss, "MB");
        if (Double.isNaN(idleRss)) result.error(1, "resident memory could not be read from /proc");
        return result;
    }
}
