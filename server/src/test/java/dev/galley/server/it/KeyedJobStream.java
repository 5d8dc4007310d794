package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import dev.galley.client.GalleyConnectionException;
import dev.galley.server.contract.OpenApiContract;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stream of job creations, each with an Idempotency-Key of its own, sent from a few threads without retries,
 * with every answer kept: what a crash test needs to say which writes were acknowledged, and then to check
 * that each of them survived and that retrying every key leaves exactly one job per key.
 */
public final class KeyedJobStream implements AutoCloseable {
    /** One request and what came back; status -1 when no answer came (the connection broke, the server died). */
    public record Answer(String key, int status, String retryAfter, String type, String jobUuid, long sentAt, long tookNanos, String body) {}

    private final GalleyClient client;
    private final String prefix;
    private final String region;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger counter = new AtomicInteger();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();

    private KeyedJobStream(GalleyClient client, String prefix, String region) {
        this.client = client;
        this.prefix = prefix + "-" + TestServer.randomHex(6);
        this.region = region;
    }

    /** Starts {@code threads} senders; the jobs ask for {@code region}, so a test decides whether any node can take them. */
    public static KeyedJobStream start(GalleyClient client, String prefix, String region, int threads) {
        KeyedJobStream s = new KeyedJobStream(client, prefix, region);
        for (int i = 0; i < threads; i++) s.threads.add(Thread.ofPlatform().name("job-stream-" + i).start(s::run));
        return s;
    }

    public static String body(String key, String region) {
        return "{\"title\":\"" + key + "\",\"task\":\"BATCH\",\"max_timeout_run_ms\":600000,"
                + "\"allowed_region_codes\":[\"" + region + "\"],\"parameters\":{\"parameters\":{\"image\":\"busybox\"}}}";
    }

    private void run() {
        while (running.get()) {
            Answer a = send(prefix + "-" + counter.incrementAndGet());
            answers.add(a);
            if (a.status() == -1) pace(); // no server to answer: don't spin on refused connections
        }
    }

    private static void pace() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends the create for {@code key} once, as the stream does. */
    public Answer send(String key) {
        long t0 = System.nanoTime();
        try {
            ApiResponse r = client.send("POST", "/v1/jobs", body(key, region).getBytes(StandardCharsets.UTF_8), Map.of("Idempotency-Key", key));
            JsonNode json = r.bodyText().isEmpty() ? null : r.json();
            return new Answer(key, r.status(), r.header("Retry-After").orElse(null),
                    json == null ? null : json.at("/error/type").asText(null), json == null ? null : json.path("uuid").asText(null),
                    t0, System.nanoTime() - t0, r.bodyText());
        } catch (GalleyConnectionException e) {
            return new Answer(key, -1, null, null, null, t0, System.nanoTime() - t0, e.getMessage());
        }
    }

    /** How many answers of each status, for a test's log: {@code 201=812 503=37 -1=4}. */
    public String summary() {
        var counts = new java.util.TreeMap<Integer, Long>();
        answers.forEach(a -> counts.merge(a.status(), 1L, Long::sum));
        long max503 = answers.stream().filter(a -> a.status() == 503).mapToLong(Answer::tookNanos).max().orElse(0);
        return counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(" "))
                + (max503 > 0 ? ", slowest 503 " + max503 / 1_000_000 + " ms" : "");
    }

    public List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** Waits until {@code count} answers with {@code status} have come. */
    public void awaitAnswers(int status, int count) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() ->
                answers.stream().filter(a -> a.status() == status).count() >= count);
    }

    /** Waits until {@code count} answers with {@code status} to requests sent after {@code sentAfter} (System.nanoTime) have come. */
    public void awaitAnswers(int status, int count, long sentAfter) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() ->
                answers.stream().filter(a -> a.status() == status && a.sentAt() - sentAfter > 0).count() >= count);
    }

    public void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) t.join();
    }

    public void assertStatusesAmong(Set<Integer> allowed) {
        List<Answer> others = answers.stream().filter(a -> !allowed.contains(a.status())).toList();
        assertThat(others).as("answers other than %s (a 500 is a bug)", allowed).isEmpty();
    }

    /** Every 503 says "unavailable", carries Retry-After, matches the contract, and came within {@code within}. */
    public void assert503sAreQuickAndRetryable(OpenApiContract contract, Duration within) {
        for (Answer a : answers) {
            if (a.status() != 503) continue;
            assertThat(a.retryAfter()).as("Retry-After of %s", a.body()).isEqualTo("1");
            assertThat(a.type()).isEqualTo("unavailable");
            contract.assertResponseMatches("POST", "/v1/jobs", 503, a.body());
            assertThat(Duration.ofNanos(a.tookNanos())).as("time to answer 503").isLessThan(within);
        }
    }

    /**
     * Every acknowledged (201) job is there; retrying every key, answered or not, gives 201 and, for an
     * acknowledged key, the same job; the database holds exactly one job per key.
     */
    public void assertAcknowledgedJobsSurvivedAndEveryKeyMakesOneJob(String jdbcUrl, String user, String password) {
        Map<String, String> acknowledged = new HashMap<>();
        Set<String> keys = new HashSet<>();
        for (Answer a : answers) {
            keys.add(a.key());
            if (a.status() == 201) acknowledged.put(a.key(), a.jobUuid());
        }
        assertThat(acknowledged).as("acknowledged writes to check").isNotEmpty();
        for (String uuid : acknowledged.values()) {
            ApiResponse r = client.send("GET", "/v1/jobs/" + uuid, null, Map.of());
            assertThat(r.status()).as("acknowledged job %s: %s", uuid, r.bodyText()).isEqualTo(200);
        }
        Set<String> jobs = new HashSet<>();
        for (String key : keys) {
            Answer retry = send(key);
            assertThat(retry.status()).as("retry of %s: %s", key, retry.body()).isEqualTo(201);
            if (acknowledged.containsKey(key)) assertThat(retry.jobUuid()).as("replay of %s", key).isEqualTo(acknowledged.get(key));
            jobs.add(retry.jobUuid());
        }
        assertThat(jobs).as("one job per key").hasSize(keys.size());
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
             PreparedStatement ps = c.prepareStatement("SELECT count(*), count(DISTINCT title) FROM jobs WHERE title LIKE ? || '-%'")) {
            ps.setString(1, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("jobs of this stream in the database").isEqualTo(keys.size());
                assertThat(rs.getLong(2)).as("distinct keys among them").isEqualTo(keys.size());
            }
        } catch (SQLException e) {
            throw new AssertionError("cannot read the jobs back: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
