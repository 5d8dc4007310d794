package dev.galley.app.bench;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every {@code galley bench} subcommand takes. */
public final class BenchOptions {
    @Option(names = "--size", description = "tiny (CI: seconds) or full (the issue's sizes: minutes); default ${DEFAULT-VALUE}")
    public Size size = Size.tiny;

    @Option(names = "--url", description = "benchmark an already running server instead of starting one (needs --api-key and --database-url; use a throwaway server: the benchmarks write a lot of rows)")
    public String url;

    @Option(names = "--api-key", description = "operator key pk_…:sk_… of the server given by --url (permission *)")
    public String apiKey;

    @Option(names = "--database-url", description = "JDBC URL of that server's PostgreSQL (setup inserts rows directly, pgbench runs against it)")
    public String databaseUrl;

    @Option(names = "--database-user", description = "database user (default postgres)")
    public String databaseUser = "postgres";

    @Option(names = "--database-password", description = "database password (also given to pgbench as PGPASSWORD)")
    public String databasePassword;

    @Option(names = "--server-pid", description = "with --url: the server's pid, so its CPU and memory can be read from /proc")
    public long serverPid = -1;

    @Option(names = "--work-dir", description = "where databases, server logs and JFR files go (default: a new temp dir)")
    public Path workDir;

    @Option(names = "--keep", description = "keep the work dir (logs, JFR recordings) afterwards")
    public boolean keep;

    @Option(names = "--server-jvm-opts", description = "JVM options of the started server (default: $GALLEY_JAVA_OPTS or '-XX:+UseParallelGC -Xmx768m', like ./galley)")
    public String serverJvmOpts;

    @Option(names = "--jfr", description = "record the server with JDK Flight Recorder during the cook benchmark and print its hot spots")
    public boolean jfr;

    @Option(names = "--write-docs", description = "replace the results section of the docs file with this run's table")
    public boolean writeDocs;

    @Option(names = "--docs-file", description = "default ${DEFAULT-VALUE}")
    public Path docsFile = Path.of("docs/performance.md");

    public String jvmOpts() {
        if (serverJvmOpts != null) return serverJvmOpts;
        String env = System.getenv("GALLEY_JAVA_OPTS");
        return env != null && !env.isBlank() ? env : "-XX:+UseParallelGC -Xmx768m";
    }
}
