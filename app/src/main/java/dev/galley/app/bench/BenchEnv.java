package dev.galley.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.client.ApiKeyPair;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import dev.galley.server.db.EmbeddedPostgresLauncher;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the benchmarks run: one PostgreSQL the bench starts itself (embedded, data in the work dir) with a fresh
 * database and a fresh {@code galley server} process per benchmark, or a server the user already runs (--url).
 */
public final class BenchEnv implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    final BenchOptions opts;
    final PrintStream out;
    final Path workDir;
    private final boolean ownWorkDir;
    private EmbeddedPostgresLauncher postgres;
    private String pgHost;
    private int pgPort;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final Thread hook = new Thread(this::closeQuietly, "galley-bench-cleanup");

    public BenchEnv(BenchOptions opts, PrintStream out) {
        this.opts = opts;
        this.out = out;
        try {
            this.ownWorkDir = opts.workDir == null;
            this.workDir = ownWorkDir ? Files.createTempDirectory("galley-bench") : Files.createDirectories(opts.workDir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Runtime.getRuntime().addShutdownHook(hook);
    }

    boolean external() {
        return opts.url != null;
    }

    void log(String fmt, Object... args) {
        out.printf("[bench] " + fmt + "%n", args);
        out.flush();
    }

    /** The pid of the PostgreSQL postmaster the benchmarks use, or -1 (external database). */
    long postgresPid() {
        if (postgres == null) return -1;
        try {
            return Long.parseLong(Files.readAllLines(workDir.resolve("pg").resolve("postgres").resolve("postmaster.pid")).getFirst().trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private synchronized void ensurePostgres() {
        if (postgres != null) return;
        long t0 = System.nanoTime();
        postgres = EmbeddedPostgresLauncher.start(workDir.resolve("pg"));
        URI u = URI.create(postgres.jdbcUrl().substring("jdbc:".length()));
        pgHost = u.getHost();
        pgPort = u.getPort();
        log("embedded PostgreSQL on port %d (%.1f s)", pgPort, (System.nanoTime() - t0) / 1e9);
    }

    /** A server (and database) for one benchmark. */
    public Target target(String name, Map<String, String> extraEnv, boolean jfr) {
        if (external()) {
            if (opts.apiKey == null || opts.databaseUrl == null) throw new IllegalArgumentException("--url needs --api-key and --database-url");
            return new Target(this, URI.create(opts.url), opts.apiKey, opts.databaseUrl, opts.databaseUser, opts.databasePassword, null, opts.serverPid, null);
        }
        ensurePostgres();
        String db = "bench_" + name.replace('-', '_');
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + pgHost + ":" + pgPort + "/postgres", postgres.user(), postgres.password());
             Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + db);
            st.execute("CREATE DATABASE " + db);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + db + ": " + e.getMessage(), e);
        }
        String jdbc = "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + db;
        String key = randomKey();
        var env = new java.util.HashMap<String, String>(Map.of(
                "GALLEY_DATABASE_URL", jdbc,
                "GALLEY_DATABASE_USER", postgres.user(),
                "GALLEY_DATABASE_PASSWORD", postgres.password(),
                "GALLEY_BOOTSTRAP_KEY", key,
                "GALLEY_MASTER_KEY", Base64.getEncoder().encodeToString(randomBytes(32)),
                "GALLEY_DATA_DIR", workDir.resolve("data-" + name).toString()));
        // The benchmarks drive thousands of requests a second with a handful of keys: the per-key rate limit
        // (on by default, 100/s) would measure itself. They measure the server, so it is off here.
        env.put("GALLEY_RATE_LIMIT_RPS", "0");
        env.putAll(extraEnv);
        Path jfrFile = jfr ? workDir.resolve("server-" + name + ".jfr") : null;
        ServerProcess server = ServerProcess.spawn(workDir, name, env, opts.jvmOpts(), jfrFile);
        open.add(server);
        double took = server.awaitHealthy(Duration.ofSeconds(120));
        log("%s: server pid %d on %s healthy after %.1f s (log %s)", name, server.pid(), server.url(), took, server.log());
        return new Target(this, server.url(), key, jdbc, postgres.user(), postgres.password(), server, server.pid(), jfrFile);
    }

    /** A fresh PostgreSQL data directory-less server start for the footprint benchmark (embedded mode). */
    ServerProcess spawnEmbedded(String name, Path dataDir, String operatorKey) {
        ServerProcess server = ServerProcess.spawn(workDir, name, Map.of(
                "GALLEY_DATA_DIR", dataDir.toString(), "GALLEY_BOOTSTRAP_KEY", operatorKey), opts.jvmOpts(), null);
        open.add(server);
        return server;
    }

    static String randomKey() {
        return "pk_bench" + HexFormat.of().formatHex(randomBytes(8)) + ":sk_" + HexFormat.of().formatHex(randomBytes(20));
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    void closeQuietly() {
        for (AutoCloseable c : open.reversed()) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        open.clear();
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
        if (ownWorkDir && !opts.keep) {
            try (Stream<Path> s = Files.walk(workDir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // temp dir; the OS cleans it
            }
        } else {
            log("work dir kept: %s", workDir);
        }
    }

    /** One server + its database, as the benchmarks see them. */
    public static final class Target implements AutoCloseable {
        final BenchEnv env;
        final URI url;
        final String operatorKey;
        final String jdbcUrl;
        final String dbUser;
        final String dbPassword;
        final ServerProcess server;
        final long serverPid;
        final Path jfrFile;
        final GalleyClient operator;

        Target(BenchEnv env, URI url, String operatorKey, String jdbcUrl, String dbUser, String dbPassword, ServerProcess server,
               long serverPid, Path jfrFile) {
            this.env = env;
            this.url = url;
            this.operatorKey = operatorKey;
            this.jdbcUrl = jdbcUrl;
            this.dbUser = dbUser;
            this.dbPassword = dbPassword;
            this.server = server;
            this.serverPid = serverPid;
            this.jfrFile = jfrFile;
            this.operator = client(operatorKey);
        }

        GalleyClient client(String keyPair) {
            return GalleyClient.builder(url, ApiKeyPair.parse(keyPair)).requestTimeout(Duration.ofSeconds(60)).build();
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
        }

        double serverRssMb() {
            return serverPid > 0 ? Proc.rssMb(serverPid) : Double.NaN;
        }

        Proc.CpuMeter cpuMeter() {
            return Proc.CpuMeter.start(serverPid, env.postgresPid());
        }

        /** A signed call that must succeed with {@code status}; returns the JSON body. */
        JsonNode ok(GalleyClient c, String method, String path, String body, int status) {
            ApiResponse r = c.send(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), Map.of());
            if (r.status() != status) throw new IllegalStateException(method + " " + path + " answered " + r.status() + ": " + r.bodyText());
            return r.json();
        }

        /** A new account with a key holding {@code permission} (a preset); returns [account uuid, key pair]. */
        String[] account(String name, String permission) {
            JsonNode acct = ok(operator, "POST", "/v1/accounts", "{\"name\":\"" + name + "-" + HexFormat.of().formatHex(randomBytes(4)) + "\"}", 201);
            ObjectNode body = JSON.createObjectNode().put("name", name).put("account_uuid", acct.get("uuid").asText());
            body.putArray("permissions").add(permission);
            JsonNode key = ok(operator, "POST", "/v1/api-keys", body.toString(), 201);
            return new String[]{acct.get("uuid").asText(), key.get("public_key").asText() + ":" + key.get("secret_key").asText()};
        }

        /** Another key of an existing account, as "pk_…:sk_…" (e.g. one compute_node key per simulated node). */
        String key(String accountUuid, String name, String permission) {
            ObjectNode body = JSON.createObjectNode().put("name", name).put("account_uuid", accountUuid);
            body.putArray("permissions").add(permission);
            JsonNode key = ok(operator, "POST", "/v1/api-keys", body.toString(), 201);
            return key.get("public_key").asText() + ":" + key.get("secret_key").asText();
        }

        long queryLong(Connection c, String sql, Object... args) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(c, ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }

        String queryString(Connection c, String sql, Object... args) throws SQLException {
            String[] row = queryRow(c, sql, args);
            return row == null ? null : row[0];
        }

        /** The first row's columns as text, or null when there is no row. */
        String[] queryRow(Connection c, String sql, Object... args) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(c, ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return null;
                    String[] row = new String[rs.getMetaData().getColumnCount()];
                    for (int i = 0; i < row.length; i++) row[i] = rs.getString(i + 1);
                    return row;
                }
            }
        }

        int update(Connection c, String sql, Object... args) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(c, ps, args);
                return ps.executeUpdate();
            }
        }

        /** Binds parameters; a String[] becomes a text[] as the server's JDBI binds it. */
        static void bind(Connection c, PreparedStatement ps, Object[] args) throws SQLException {
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof String[] a) ps.setArray(i + 1, c.createArrayOf("text", a));
                else ps.setObject(i + 1, args[i]);
            }
        }

        /** EXPLAIN (ANALYZE, BUFFERS) output as text. */
        String explain(Connection c, String sql, Object... args) throws SQLException {
            StringBuilder sb = new StringBuilder();
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
                bind(c, ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) sb.append(rs.getString(1)).append('\n');
                }
            }
            return sb.toString();
        }

        @Override
        public void close() {
            if (server != null) server.close();
        }
    }
}
