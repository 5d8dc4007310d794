package dev.galley.server.it;

import dev.galley.server.config.ConfigException;
import dev.galley.server.db.EmbeddedPostgresLauncher;
import dev.galley.server.db.PostgresBinaries;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The embedded PostgreSQL as an attacker or a crash meets it: a local user without the password, an address
 * other than loopback, a data directory made by an older version (trust), a PostgreSQL left running by a
 * killed server, a second server on the same directory, and its own postmaster killed under a running server.
 */
class EmbeddedPostgresIT {
    @TempDir
    Path dir;

    @Test
    void every_connection_needs_the_password_and_only_loopback_is_listened_on() throws Exception {
        try (EmbeddedPostgresLauncher pg = EmbeddedPostgresLauncher.start(dir)) {
            assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), "postgres", null).close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password");
            assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), "postgres", "not-the-password").close())
                    .isInstanceOf(SQLException.class).satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));

            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
                assertThat(show(c, "listen_addresses")).isEqualTo("127.0.0.1");
                assertThat(show(c, "unix_socket_directories")).as("no Unix socket to reach it by").isEmpty();
                assertThat(query(c, "SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules")).isEqualTo("scram-sha-256");
                assertThat(query(c, "SELECT count(*) FROM pg_hba_file_rules WHERE type = 'host' AND address <> '127.0.0.1'")).isEqualTo("0");
                assertThat(query(c, "SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = 'postgres'")).isEqualTo("t");
            }
            assertThat(listeningAddresses(pg.port())).as("the kernel's listening sockets on port %d", pg.port())
                    .isNotEmpty().allMatch(a -> a.equals("127.0.0.1"));
            for (InetAddress other : nonLoopbackAddresses()) {
                assertThatThrownBy(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(other, pg.port()), 2_000);
                    }
                }).as("a connection to %s:%d", other, pg.port()).isInstanceOf(ConnectException.class);
            }
        }
    }

    @Test
    void the_persistent_database_is_durable_and_its_files_are_private() throws Exception {
        try (EmbeddedPostgresLauncher pg = EmbeddedPostgresLauncher.start(dir);
             Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
            assertThat(show(c, "synchronous_commit")).isEqualTo("on");
            assertThat(show(c, "fsync")).isEqualTo("on");
            assertThat(show(c, "full_page_writes")).isEqualTo("on");
            assertThat(mode(dir)).isEqualTo("rwx------");
            assertThat(mode(dir.resolve(EmbeddedPostgresLauncher.PASSWORD_FILE))).isEqualTo("rw-------");
            assertThat(Files.readString(dir.resolve(EmbeddedPostgresLauncher.PASSWORD_FILE)).strip()).isEqualTo(pg.password());
            assertThat(mode(pg.pgData())).isEqualTo("rwx------");
        }
    }

    @Test
    void a_throwaway_database_trades_durability_for_speed_and_leaves_nothing_behind() throws Exception {
        Path pgData;
        try (EmbeddedPostgresLauncher pg = EmbeddedPostgresLauncher.start(null);
             Connection c = DriverManager.getConnection(pg.jdbcUrlWithCredentials())) {
            pgData = pg.pgData();
            assertThat(show(c, "fsync")).isEqualTo("off");
            assertThat(show(c, "synchronous_commit")).isEqualTo("off");
        }
        assertThat(pgData.getParent()).doesNotExist();
        assertThat(PostgresProcesses.on(pgData)).isEmpty();
    }

    @Test
    void a_data_dir_of_an_older_version_that_trusted_everyone_is_upgraded_in_place_with_its_data() throws Exception {
        Path pgData = dir.resolve("postgres");
        PostgresBinaries bin = PostgresBinaries.get();
        run(bin.command("initdb", "-A", "trust", "-U", "postgres", "-D", pgData.toString(), "-E", "UTF-8", "--no-sync"));
        int port = freePort();
        run(bin.command("pg_ctl", "start", "-w", "-D", pgData.toString(), "-l", dir.resolve("old.log").toString(),
                "-o", "-p " + port + " -c unix_socket_directories=''"));
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", null);
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE kept (v text)");
            st.execute("INSERT INTO kept VALUES ('made before the upgrade')");
        } finally {
            run(bin.command("pg_ctl", "stop", "-w", "-D", pgData.toString(), "-m", "fast"));
        }

        try (EmbeddedPostgresLauncher pg = EmbeddedPostgresLauncher.start(dir)) {
            assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), "postgres", null).close())
                    .as("trust is gone").isInstanceOf(SQLException.class);
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
                assertThat(query(c, "SELECT v FROM kept")).isEqualTo("made before the upgrade");
                assertThat(query(c, "SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules")).isEqualTo("scram-sha-256");
            }
        }
        try (EmbeddedPostgresLauncher again = EmbeddedPostgresLauncher.start(dir);
             Connection c = DriverManager.getConnection(again.jdbcUrl(), again.user(), again.password())) {
            assertThat(query(c, "SELECT v FROM kept")).as("the next start needs no upgrade and keeps the password").isEqualTo("made before the upgrade");
        }
    }

    @Test
    void a_postgres_left_running_by_a_killed_server_is_stopped_not_waited_for() throws Exception {
        Path pgData;
        try (EmbeddedPostgresLauncher first = EmbeddedPostgresLauncher.start(dir)) {
            pgData = first.pgData();
        }
        // What a server killed with SIGKILL (and its watchdog with it) leaves: a postmaster on the directory, no server.
        PostgresBinaries bin = PostgresBinaries.get();
        run(bin.command("pg_ctl", "start", "-w", "-D", pgData.toString(), "-l", dir.resolve("orphan.log").toString(),
                "-o", "-p " + freePort() + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"));
        List<Long> orphan = PostgresProcesses.postmasters(pgData);
        assertThat(orphan).hasSize(1);

        long t0 = System.nanoTime();
        try (EmbeddedPostgresLauncher pg = EmbeddedPostgresLauncher.start(dir)) {
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("start-up over a leftover PostgreSQL").isLessThan(Duration.ofSeconds(30));
            assertThat(PostgresProcesses.postmasters(pgData)).as("the leftover is stopped: one postmaster on the directory, ours")
                    .doesNotContain(orphan.getFirst()).containsExactly(pg.postmasterPid());
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
                assertThat(query(c, "SELECT 1")).isEqualTo("1");
            }
        }
    }

    @Test
    void a_stale_pid_file_naming_some_other_live_process_does_not_block_the_start() throws Exception {
        Path pgData;
        try (EmbeddedPostgresLauncher first = EmbeddedPostgresLauncher.start(dir)) {
            pgData = first.pgData();
        }
        // After a reboot the pid in postmaster.pid can belong to anything; PostgreSQL itself would refuse to start.
        Files.writeString(pgData.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + pgData + "\n1700000000\n5432\n\n\n0 0\nready\n");
        try (EmbeddedPostgresLauncher pg = EmbeddedPostgresLauncher.start(dir);
             Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
            assertThat(query(c, "SELECT 1")).isEqualTo("1");
            assertThat(ProcessHandle.current().isAlive()).as("the process the stale file named is left alone").isTrue();
        }
    }

    @Test
    void a_second_server_on_the_same_data_dir_is_refused_at_once_and_the_first_keeps_running() throws Exception {
        try (EmbeddedPostgresLauncher first = EmbeddedPostgresLauncher.start(dir)) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> EmbeddedPostgresLauncher.start(dir).close())
                    .isInstanceOf(ConfigException.class).hasMessageContaining("another galley server").hasMessageContaining(dir.toString());
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            try (Connection c = DriverManager.getConnection(first.jdbcUrl(), first.user(), first.password())) {
                assertThat(query(c, "SELECT 1")).isEqualTo("1");
            }
        }
    }

    @Test
    void a_postgres_killed_under_a_running_server_is_restarted_by_it_on_the_same_port() throws Exception {
        try (EmbeddedPostgresLauncher pg = EmbeddedPostgresLauncher.start(dir)) {
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password()); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE acknowledged (v int)");
                st.execute("INSERT INTO acknowledged VALUES (42)"); // autocommit: acknowledged once execute returns
            }
            long killed = pg.postmasterPid();
            PostgresProcesses.killGroup(killed);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> pg.postmasterPid() != killed);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
                    assertThat(query(c, "SELECT v FROM acknowledged")).isEqualTo("42");
                }
            });
            assertThat(PostgresProcesses.postmasters(pg.pgData())).containsExactly(pg.postmasterPid());
        }
    }

    static String show(Connection c, String setting) throws SQLException {
        return query(c, "SHOW " + setting);
    }

    static String query(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", command, out).isZero();
    }

    /** The local addresses the kernel has a listening TCP socket on for {@code port} (/proc/net/tcp and tcp6). */
    static List<String> listeningAddresses(int port) throws IOException {
        List<String> found = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if (!f[3].equals("0A") || Integer.parseInt(local[1], 16) != port) continue; // 0A: LISTEN
                found.add(decode(local[0]));
            }
        }
        return found;
    }

    private static String decode(String hex) {
        if (hex.length() != 8) return hex.toLowerCase(Locale.ROOT); // IPv6: reported as is
        long v = Long.parseLong(hex, 16); // little-endian IPv4
        return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
    }

    static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static List<InetAddress> nonLoopbackAddresses() throws IOException {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface ni : NetworkInterface.networkInterfaces().toList()) {
            if (!ni.isUp() || ni.isLoopback()) continue;
            ni.inetAddresses().filter(a -> a instanceof Inet4Address).forEach(out::add);
        }
        return out;
    }
}
