package dev.galley.server.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.auth.PermissionSet;
import dev.galley.core.lifecycle.JobStatus;
import dev.galley.core.lifecycle.ReasonCode;
import dev.galley.server.auth.Caller;
import dev.galley.server.db.Database;
import dev.galley.server.db.Transactions;
import dev.galley.server.http.Json;
import dev.galley.server.idempotency.IdempotencyRepository;
import dev.galley.server.it.TestDatabase;
import dev.galley.server.it.TestServer;
import dev.galley.server.lifecycle.JobRepository;
import dev.galley.server.lifecycle.JobRow;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The group commit against a real PostgreSQL: batches of a chosen make-up (a reused nonce, one nonce twice, a
 * taken or expired Idempotency-Key, a row the database refuses), and many writers at once.
 */
class JobGroupCommitIT {
    private static Database db;
    private static Jdbi jdbi;
    private static JobGroupCommit commit;
    private static final List<UUID> handedOver = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final UUID account = UUID.randomUUID();
    private final String publicKey = "pk_" + TestServer.randomHex(24);

    @BeforeAll
    static void start() {
        db = Database.connect(TestDatabase.jdbcUrl(), null, null, 4);
        db.migrate();
        jdbi = db.jdbi();
        commit = new JobGroupCommit(new Transactions(jdbi), new JobRepository(), new dev.galley.server.auth.NonceRepository(),
                new IdempotencyRepository(), new dev.galley.server.recipes.RecipeRepository(), handedOver::addAll);
    }

    @AfterAll
    static void stop() {
        commit.close();
        db.close();
    }

    private JobGroupCommit.Entry entry(String nonce, String key, JobStatus status) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ObjectNode spec = Json.object().put("title", "t").put("task", "BATCH").put("cpu_count", 1).put("gpu_count", 0)
                .put("min_ram_gb", 1).put("min_vram_gb", 0).put("min_storage_gb", 1);
        var job = new JobRow(UUID.randomUUID(), account, status, "waiting for a node that fits", ReasonCode.WAITING_FOR_CAPACITY, spec,
                null, null, "token", now.toEpochMilli() + 60_000, null, null, null, now, now, null, null);
        var caller = new Caller(UUID.randomUUID(), publicKey, account, PermissionSet.everything(), nonce);
        return new JobGroupCommit.Entry(caller, job, key, key == null ? null : "hash-" + key,
                ("{\"uuid\":\"" + job.uuid() + "\"}").getBytes(StandardCharsets.UTF_8), false);
    }

    private JobGroupCommit.Entry entry(String nonce) {
        return entry(nonce, null, JobStatus.PENDING);
    }

    private boolean stored(JobGroupCommit.Entry e) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM jobs WHERE uuid = :u").bind("u", e.job().uuid())
                .mapTo(Integer.class).one()) == 1;
    }

    private boolean nonceStored(String nonce) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM request_nonces WHERE public_key = :pk AND nonce = :n")
                .bind("pk", publicKey).bind("n", nonce).mapTo(Integer.class).one()) == 1;
    }

    @Test
    void aBatchWritesEveryJobAndNonceAndHandsTheJobsToTheScheduler() {
        List<JobGroupCommit.Entry> entries = List.of(entry("n1"), entry("n2"), entry(null));
        assertThat(commit.writeTogether(entries)).allMatch(o -> o instanceof JobGroupCommit.Outcome.Written);
        assertThat(entries).allMatch(this::stored);
        assertThat(nonceStored("n1") && nonceStored("n2")).isTrue();
        assertThat(handedOver).containsAll(entries.stream().map(e -> e.job().uuid()).toList());
    }

    @Test
    void aReusedNonceFailsOnlyItsOwnRequest() {
        assertThat(commit.writeTogether(List.of(entry("used")))).containsExactly(new JobGroupCommit.Outcome.Written());
        var replayed = entry("used");
        var fresh = entry("fresh");
        assertThat(commit.writeTogether(List.of(replayed, fresh)))
                .containsExactly(new JobGroupCommit.Outcome.NonceReused(), new JobGroupCommit.Outcome.Written());
        assertThat(stored(replayed)).isFalse();
        assertThat(handedOver).doesNotContain(replayed.job().uuid());
        assertThat(stored(fresh)).isTrue();
    }

    @Test
    void oneNonceTwiceInOneBatchWritesOneJob() {
        var a = entry("twice");
        var b = entry("twice");
        List<JobGroupCommit.Outcome> outcomes = commit.writeTogether(List.of(a, b));
        assertThat(outcomes).containsExactlyInAnyOrder(new JobGroupCommit.Outcome.Written(), new JobGroupCommit.Outcome.NonceReused());
        assertThat(stored(a) ^ stored(b)).isTrue();
    }

    @Test
    void aTakenKeyIsReportedAndAnExpiredOneIsReplaced() {
        var first = entry("k1", "key-1", JobStatus.PENDING);
        assertThat(commit.writeTogether(List.of(first))).containsExactly(new JobGroupCommit.Outcome.Written());
        var retry = entry("k2", "key-1", JobStatus.PENDING);
        assertThat(commit.writeTogether(List.of(retry))).containsExactly(new JobGroupCommit.Outcome.KeyTaken());
        assertThat(stored(retry)).isFalse();

        jdbi.useHandle(h -> h.execute("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' "
                + "WHERE account_uuid = ? AND idempotency_key = 'key-1'", account));
        var late = entry("k3", "key-1", JobStatus.PENDING);
        assertThat(commit.writeTogether(List.of(late))).containsExactly(new JobGroupCommit.Outcome.Written());
        byte[] body = jdbi.withHandle(h -> h.createQuery("SELECT response_body FROM idempotency_keys WHERE account_uuid = :a "
                + "AND idempotency_key = 'key-1'").bind("a", account).mapTo(byte[].class).one());
        assertThat(body).isEqualTo(late.response());
    }

    @Test
    void aRowTheDatabaseRefusesSendsTheWholeBatchBackToBeWrittenAlone() {
        var good = entry("good");
        var bad = entry("bad", null, null); // status NOT NULL: the INSERT fails
        List<JobGroupCommit.Outcome> outcomes = commit.writeTogether(List.of(good, bad));
        assertThat(outcomes).allMatch(o -> o instanceof JobGroupCommit.Outcome.RetryAlone);
        assertThat(stored(good)).isFalse();
        assertThat(nonceStored("good")).as("the shared transaction rolled back").isFalse();
    }

    @Test
    void manyConcurrentWritersEachGetTheirOwnOutcome() throws Exception {
        int n = 200;
        List<JobGroupCommit.Entry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) entries.add(entry("c" + i, i % 10 == 0 ? "ck-" + (i % 20) : null, JobStatus.PENDING));
        List<Future<JobGroupCommit.Outcome>> futures = new ArrayList<>();
        try (var ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var e : entries) futures.add(ex.submit(() -> commit.write(e)));
        }
        int written = 0;
        int taken = 0;
        for (var f : futures) {
            switch (f.get()) {
                case JobGroupCommit.Outcome.Written w -> written++;
                case JobGroupCommit.Outcome.KeyTaken t -> taken++;
                default -> throw new AssertionError("unexpected " + f.get());
            }
        }
        // 20 keyed entries share two keys (ck-0, ck-10): one of each is written, the other 18 replay.
        assertThat(taken).isEqualTo(18);
        assertThat(written).isEqualTo(n - 18);
        int rows = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM jobs WHERE account_uuid = :a").bind("a", account)
                .mapTo(Integer.class).one());
        assertThat(rows).isEqualTo(written);
    }
}
