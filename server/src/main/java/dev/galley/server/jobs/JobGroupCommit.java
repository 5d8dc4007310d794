package dev.galley.server.jobs;

import dev.galley.server.auth.Caller;
import dev.galley.server.auth.NonceRepository;
import dev.galley.server.db.Transactions;
import dev.galley.server.idempotency.Idempotency;
import dev.galley.server.idempotency.IdempotencyRepository;
import dev.galley.server.lifecycle.JobRepository;
import dev.galley.server.lifecycle.JobRow;
import dev.galley.server.recipes.RecipeRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the new jobs of concurrent create and cook requests together: each request's nonce claim,
 * Idempotency-Key claim and job row, for every request waiting at that moment, in one transaction and a
 * handful of statements. This is group commit done one level up from PostgreSQL's: under load one commit,
 * one statement per table and one round trip carry dozens of jobs instead of one, which is most of what a
 * cook costs the database and the connection pool. An idle server writes a batch of one at once, so nothing
 * waits for a timer; batches grow only while a previous batch is still being written.
 *
 * <p>Every request keeps its own outcome: a reused nonce or a taken Idempotency-Key fails that request alone.
 * If the shared transaction fails as a whole (a database error), nothing of it was written and each request is
 * told to retry alone ({@link Outcome.RetryAlone}), so one bad row cannot fail its neighbours.
 */
public final class JobGroupCommit implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobGroupCommit.class);
    /** A batch larger than this gains little (the commit is amortised already) and holds its requests longer. */
    static final int MAX_BATCH = 128;
    /** Two writers: while one waits for its commit to reach the disk, the other builds and sends the next batch. */
    private static final int WRITERS = 2;

    /** What became of one request's job. */
    public sealed interface Outcome {
        /** The job (and the Idempotency-Key's stored response, if any) committed. */
        record Written() implements Outcome {}
        /** The request's nonce was used before: nothing was written for it. */
        record NonceReused() implements Outcome {}
        /** Another request holds this Idempotency-Key (committed): replay its stored response. */
        record KeyTaken() implements Outcome {}
        /** The shared transaction failed; nothing was written; write this request in a transaction of its own. */
        record RetryAlone(RuntimeException cause) implements Outcome {}
    }

    /**
     * One request's write. {@code idempotencyKey} is null without the header; {@code response} is the body the
     * request answers with, stored for replays of its key.
     */
    public record Entry(Caller caller, JobRow job, String idempotencyKey, String requestHash, byte[] response,
                        boolean touchRecipe) {}

    private record Pending(Entry entry, CompletableFuture<Outcome> done) {}

    private final Transactions tx;
    private final JobRepository jobs;
    private final NonceRepository nonces;
    private final IdempotencyRepository idempotency;
    private final RecipeRepository recipes;
    private final Consumer<List<UUID>> onWritten;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean closed;

    public JobGroupCommit(Transactions tx, JobRepository jobs, NonceRepository nonces, IdempotencyRepository idempotency,
                          RecipeRepository recipes, Consumer<List<UUID>> onWritten) {
        this.tx = tx;
        this.jobs = jobs;
        this.nonces = nonces;
        this.idempotency = idempotency;
        this.recipes = recipes;
        this.onWritten = onWritten;
        for (int i = 0; i < WRITERS; i++) {
            writers.add(Thread.ofVirtual().name("galley-job-writer-" + i).start(this::writeLoop));
        }
    }

    /** Queues the entry and waits until its batch has committed (or failed). */
    public Outcome write(Entry entry) {
        if (closed) return new Outcome.RetryAlone(new IllegalStateException("the server is shutting down"));
        var pending = new Pending(entry, new CompletableFuture<>());
        queue.add(pending);
        try {
            return pending.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the job was being written", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the job writer failed", e.getCause());
        }
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            queue.addAll(process(batch));
            batch.clear();
        }
        for (Pending p; (p = queue.poll()) != null; ) {
            p.done().complete(new Outcome.RetryAlone(new IllegalStateException("the server is shutting down")));
        }
    }

    /** Writes one batch and completes every request's outcome; returns the requests deferred to a later batch. */
    private List<Pending> process(List<Pending> batch) {
        List<Pending> later = deferRepeatedKeys(batch);
        try {
            Map<Pending, Outcome> outcomes = writeBatch(batch);
            List<UUID> written = new ArrayList<>();
            outcomes.forEach((p, o) -> { if (o instanceof Outcome.Written) written.add(p.entry().job().uuid()); });
            // Hand the jobs to the scheduler before answering, so a node can have one by the time the client reads it.
            if (!written.isEmpty()) onWritten.accept(written);
            outcomes.forEach((p, o) -> p.done().complete(o));
        } catch (RuntimeException e) {
            log.warn("writing {} job(s) in one transaction failed: {}", batch.size(), e.toString());
            for (Pending p : batch) p.done().complete(new Outcome.RetryAlone(e));
        } catch (Throwable t) {
            // Never leave a request waiting on a batch that will not finish; the writer lives on.
            log.error("the job writer failed on a batch of {}", batch.size(), t);
            for (Pending p : batch) p.done().complete(new Outcome.RetryAlone(new IllegalStateException("the job writer failed", t)));
        }
        return later;
    }

    /** Writes these entries as one batch on the calling thread (a request alone; tests: a batch of a chosen make-up). */
    List<Outcome> writeTogether(List<Entry> entries) {
        List<Pending> batch = new ArrayList<>(entries.stream().map(e -> new Pending(e, new CompletableFuture<>())).toList());
        List<Pending> inOrder = List.copyOf(batch);
        List<Pending> later = process(batch);
        if (!later.isEmpty()) throw new IllegalArgumentException("entries repeat an Idempotency-Key");
        return inOrder.stream().map(p -> p.done().join()).toList();
    }

    /**
     * Two requests with the same account and Idempotency-Key must not share a batch: the second has to see the
     * first one's stored response, which only exists once the first committed. It goes to the next batch.
     */
    private static List<Pending> deferRepeatedKeys(List<Pending> batch) {
        Set<String> keys = new HashSet<>();
        List<Pending> later = new ArrayList<>();
        batch.removeIf(p -> {
            Entry e = p.entry();
            if (e.idempotencyKey() == null) return false;
            boolean repeated = !keys.add(e.caller().accountUuid() + "/" + e.idempotencyKey());
            if (repeated) later.add(p);
            return repeated;
        });
        return later;
    }

    private Map<Pending, Outcome> writeBatch(List<Pending> batch) {
        // A fixed order of unique-key inserts across concurrent batches: two batches never wait on each other in a cycle.
        batch.sort(Comparator.comparing((Pending p) -> String.valueOf(p.entry().caller().publicKey()))
                .thenComparing(p -> String.valueOf(p.entry().caller().pendingNonce())));
        return tx.inTransaction(h -> {
            Map<Pending, Outcome> outcomes = new IdentityHashMap<>();
            List<Pending> fresh = claimNonces(h, batch, outcomes);
            List<Pending> claimed = claimKeys(h, fresh, outcomes);
            jobs.insertAll(h, claimed.stream().map(p -> p.entry().job()).toList());
            touchRecipes(h, claimed);
            for (Pending p : claimed) outcomes.put(p, new Outcome.Written());
            return outcomes;
        });
    }

    /** Inserts every nonce at once; a request whose nonce is already stored (or repeated in this batch) is refused. */
    private List<Pending> claimNonces(Handle h, List<Pending> batch, Map<Pending, Outcome> outcomes) {
        List<String> keys = new ArrayList<>();
        List<String> nonces = new ArrayList<>();
        for (Pending p : batch) {
            Caller c = p.entry().caller();
            if (c.pendingNonce() == null) continue;
            keys.add(c.publicKey());
            nonces.add(c.pendingNonce());
        }
        Set<String> inserted = new HashSet<>(this.nonces.claimAll(h, keys.toArray(String[]::new), nonces.toArray(String[]::new)));
        List<Pending> fresh = new ArrayList<>();
        for (Pending p : batch) {
            Caller c = p.entry().caller();
            // remove(): of two requests with the same nonce in one batch, only the first gets it.
            if (c.pendingNonce() == null || inserted.remove(c.publicKey() + " " + c.pendingNonce())) fresh.add(p);
            else outcomes.put(p, new Outcome.NonceReused());
        }
        return fresh;
    }

    /**
     * Stores each Idempotency-Key with the response its request will send, unless a live (not expired) entry for
     * the key exists: that request replays the stored one instead. An expired entry is replaced.
     */
    private List<Pending> claimKeys(Handle h, List<Pending> fresh, Map<Pending, Outcome> outcomes) {
        List<Pending> keyed = fresh.stream().filter(p -> p.entry().idempotencyKey() != null).toList();
        if (keyed.isEmpty()) return fresh;
        int n = keyed.size();
        UUID[] accounts = new UUID[n];
        String[] keys = new String[n];
        String[] hashes = new String[n];
        byte[][] bodies = new byte[n][];
        for (int i = 0; i < n; i++) {
            Entry e = keyed.get(i).entry();
            accounts[i] = e.caller().accountUuid();
            keys[i] = e.idempotencyKey();
            hashes[i] = e.requestHash();
            bodies[i] = e.response();
        }
        Instant now = keyed.getFirst().entry().job().createdAt();
        Set<String> stored = idempotency.claimAll(h, accounts, keys, hashes, 201, bodies, now, now.minus(Idempotency.WINDOW));
        List<Pending> claimed = new ArrayList<>();
        for (Pending p : fresh) {
            Entry e = p.entry();
            if (e.idempotencyKey() == null || stored.contains(e.caller().accountUuid() + "/" + e.idempotencyKey())) claimed.add(p);
            else outcomes.put(p, new Outcome.KeyTaken());
        }
        return claimed;
    }

    private void touchRecipes(Handle h, List<Pending> claimed) {
        UUID[] touched = claimed.stream().filter(p -> p.entry().touchRecipe()).map(p -> p.entry().job().sourceRecipeUuid())
                .distinct().toArray(UUID[]::new);
        if (touched.length > 0) recipes.touchLastUsed(h, touched, claimed.getFirst().entry().job().createdAt());
    }

    @Override
    public void close() {
        closed = true;
        writers.forEach(Thread::interrupt);
    }
}
