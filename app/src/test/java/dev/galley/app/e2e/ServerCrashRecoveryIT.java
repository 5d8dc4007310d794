package dev.galley.app.e2e;

import dev.galley.app.bench.ServerProcess;
import dev.galley.server.contract.OpenApiContract;
import dev.galley.server.it.KeyedJobStream;
import dev.galley.server.it.PostgresProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spec §8, crash-safe by default, as the crash itself: {@code galley server} (embedded PostgreSQL) takes a stream
 * of job creations with Idempotency-Keys while the test kills it with SIGKILL, or kills its PostgreSQL. The same
 * command then starts again within 30 s on the same data dir, with one PostgreSQL on it; every acknowledged
 * job is there, and retrying every key leaves exactly one job per key.
 */
class ServerCrashRecoveryIT {
    /** The stream of cooks is how a crash is caught mid-write, not what is tested: no per-key rate limit here. */
    static final Map<String, String> UNLIMITED = Map.of("GALLEY_RATE_LIMIT_RPS", "0");

    /** Jobs ask for a region no node serves: they wait, nothing runs. */
    static final String REGION = "us-west-2";
    static final Duration RESTART_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path work;

    @Test
    void kill_9_of_the_server_mid_stream_then_the_same_command_again_is_healthy_within_30_s_and_loses_no_acknowledged_job()
            throws Exception {
        EmbeddedServer setup = new EmbeddedServer(work, UNLIMITED, List.of("--no-local-node"));
        ServerProcess first = setup.start("first");
        first.awaitHealthy(Duration.ofSeconds(180));
        long firstPostmaster = PostgresProcesses.postmasters(setup.pgData()).getFirst();
        try (KeyedJobStream stream = KeyedJobStream.start(setup.operator(first), "crash", REGION, 4)) {
            stream.awaitAnswers(201, 50);
            first.kill();
            stream.awaitAnswers(-1, 4);
            stream.stop();
            // The watchdog stops the PostgreSQL of a server that died, whatever killed it.
            await().atMost(Duration.ofSeconds(30)).until(() -> PostgresProcesses.on(setup.pgData()).isEmpty());

            try (ServerProcess again = setup.start("again")) {
                double took = again.awaitHealthy(RESTART_WITHIN);
                System.out.printf("kill -9 of the server: %s; healthy again %.1f s after the same command%n", stream.summary(), took);
                assertThat(took).as("seconds from the command to a healthy server").isLessThan(RESTART_WITHIN.toSeconds());
                assertThat(PostgresProcesses.postmasters(setup.pgData())).hasSize(1).doesNotContain(firstPostmaster);
                stream.assertStatusesAmong(Set.of(201, -1));
                stream.assertAcknowledgedJobsSurvivedAndEveryKeyMakesOneJob(setup.jdbcUrl(), "postgres", setup.dbPassword());
            }
        }
    }

    @Test
    void a_postgres_left_running_when_the_server_and_its_watchdog_are_killed_is_stopped_by_the_next_start_not_waited_for()
            throws Exception {
        EmbeddedServer setup = new EmbeddedServer(work, UNLIMITED, List.of("--no-local-node"));
        ServerProcess first = setup.start("first");
        first.awaitHealthy(Duration.ofSeconds(180));
        try (KeyedJobStream stream = KeyedJobStream.start(setup.operator(first), "orphan", REGION, 4)) {
            stream.awaitAnswers(201, 50);
            ProcessHandle watchdog = watchdogOf(first).orElseThrow(() -> new AssertionError("the server has no PostgreSQL watchdog"));
            watchdog.destroyForcibly();
            await().atMost(Duration.ofSeconds(10)).until(() -> !watchdog.isAlive());
            first.kill();
            stream.awaitAnswers(-1, 4);
            stream.stop();
            List<Long> orphan = PostgresProcesses.postmasters(setup.pgData());
            assertThat(orphan).as("nobody stopped the PostgreSQL: it is an orphan now").hasSize(1);

            try (ServerProcess again = setup.start("again")) {
                double took = again.awaitHealthy(RESTART_WITHIN);
                System.out.printf("kill -9 of the server and its watchdog: %s; healthy again %.1f s after the same command%n", stream.summary(), took);
                assertThat(took).isLessThan(RESTART_WITHIN.toSeconds());
                assertThat(PostgresProcesses.postmasters(setup.pgData())).as("the orphan is stopped: one postmaster, a new one")
                        .hasSize(1).doesNotContainAnyElementsOf(orphan);
                assertThat(EmbeddedServer.output(again)).contains("left running by an earlier galley server (pid " + orphan.getFirst());
                stream.assertStatusesAmong(Set.of(201, -1));
                stream.assertAcknowledgedJobsSurvivedAndEveryKeyMakesOneJob(setup.jdbcUrl(), "postgres", setup.dbPassword());
            }
        }
    }

    @Test
    void kill_9_of_the_embedded_postgres_under_a_stream_of_writes_loses_no_acknowledged_job() throws Exception {
        EmbeddedServer setup = new EmbeddedServer(work, UNLIMITED, List.of("--no-local-node"));
        try (ServerProcess server = setup.start("server")) {
            server.awaitHealthy(Duration.ofSeconds(180));
            try (KeyedJobStream stream = KeyedJobStream.start(setup.operator(server), "pgkill", REGION, 4)) {
                stream.awaitAnswers(201, 50);
                long postmaster = PostgresProcesses.postmasters(setup.pgData()).getFirst();
                long killedAt = System.nanoTime();
                // The postmaster and all its processes at once, as the OOM killer or a power cut would: what was
                // acknowledged must already be in the WAL on disk (synchronous_commit=on), not in a buffer.
                PostgresProcesses.killGroup(postmaster);
                stream.awaitAnswers(201, 30, killedAt); // the server restarted its PostgreSQL by itself
                stream.stop();
                System.out.printf("kill -9 of the embedded PostgreSQL: %s%n", stream.summary());
                stream.assertStatusesAmong(Set.of(201, 503));
                stream.assert503sAreQuickAndRetryable(OpenApiContract.load(), Duration.ofSeconds(8));
                assertThat(PostgresProcesses.postmasters(setup.pgData())).hasSize(1).doesNotContain(postmaster);
                stream.assertAcknowledgedJobsSurvivedAndEveryKeyMakesOneJob(setup.jdbcUrl(), "postgres", setup.dbPassword());
            }
        }
        assertThat(PostgresProcesses.on(setup.pgData())).as("a clean stop stops its PostgreSQL").isEmpty();
    }

    /** The {@code sh} child of the server that stops its PostgreSQL when the server dies. */
    static Optional<ProcessHandle> watchdogOf(ServerProcess server) {
        return ProcessHandle.of(server.pid()).stream().flatMap(ProcessHandle::children)
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("galley-postgres-watchdog")).orElse(false))
                .findFirst();
    }
}
