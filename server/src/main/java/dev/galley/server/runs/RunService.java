package dev.galley.server.runs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.core.lifecycle.ReasonCode;
import dev.galley.core.lifecycle.RunStatus;
import dev.galley.core.list.ListQuery;
import dev.galley.core.logs.LogRetention;
import dev.galley.server.auth.Caller;
import dev.galley.server.db.ListSql;
import dev.galley.server.db.Signals;
import dev.galley.server.db.Transactions;
import dev.galley.server.http.ApiException;
import dev.galley.server.lifecycle.JobReconciler;
import dev.galley.server.lifecycle.JobRepository;
import dev.galley.server.lifecycle.RunRepository;
import dev.galley.server.lifecycle.RunRow;
import dev.galley.server.nodes.NodeKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Job runs and their output: who sees which (consumers their jobs' runs, node owners the runs on their nodes), and what nodes report. */
public final class RunService {
    public static final long TAIL_BYTES = 1024 * 1024;

    private final Transactions tx;
    private final RunRepository runs;
    private final JobRepository jobs;
    private final JobReconciler reconciler;
    private final Signals signals;
    private final NodeKeys nodeKeys;
    private final LogFollowers followers;
    private final Clock clock;
    private final long logRetentionBytes;
    private final Runnable runEnded;

    /** @param runEnded called after a node's report that a run ended commits (the usage closer meters it now) */
    public RunService(Transactions tx, RunRepository runs, JobRepository jobs, JobReconciler reconciler, Signals signals,
                      NodeKeys nodeKeys, LogFollowers followers, Clock clock, long logRetentionBytes, Runnable runEnded) {
        this.tx = tx;
        this.runs = runs;
        this.jobs = jobs;
        this.reconciler = reconciler;
        this.signals = signals;
        this.nodeKeys = nodeKeys;
        this.followers = followers;
        this.clock = clock;
        this.logRetentionBytes = logRetentionBytes;
        this.runEnded = runEnded;
    }

    public ListSql.Page<RunRow> list(Caller caller, ListQuery q) {
        UUID me = caller.canAll(Resource.JOB_RUNS, Action.READ) ? null : caller.accountUuid();
        // A node agent's key sees, of its account's nodes, only the runs of the node it is bound to.
        var nodeSide = me == null || !NodeKeys.isAgentKey(caller) ? RunRepository.NodeSide.ALL_NODES
                : nodeKeys.agentNode(caller).map(RunRepository.NodeSide::only).orElse(RunRepository.NodeSide.NONE);
        return tx.withHandle(h -> runs.list(h, me, nodeSide, q));
    }

    /** A run of the caller's account's jobs, on one of its nodes (see {@link #seesNodeSide}), or any with .all; else 404. */
    public RunRow readable(Caller caller, UUID uuid) {
        RunRow run = tx.withHandle(h -> runs.byUuid(h, uuid)).orElseThrow(() -> ApiException.notFound("job run"));
        boolean ok = caller.owns(run.accountUuid()) || caller.canAll(Resource.JOB_RUNS, Action.READ)
                || (caller.owns(run.nodeAccountUuid()) && seesNodeSide(caller, run.nodeUuid()));
        if (!ok) throw ApiException.notFound("job run");
        return run;
    }

    /** Runs on its account's nodes: a node agent's key sees those of its own node only, other keys all of them. */
    private boolean seesNodeSide(Caller caller, UUID node) {
        return !NodeKeys.isAgentKey(caller) || nodeKeys.agentNode(caller).filter(node::equals).isPresent();
    }

    /**
     * A node's report on one of its runs: the status it moved to and what it learnt on the way (null: not reported).
     * A FAILED report with a nonzero exit code and no code of its own is EXIT_NONZERO.
     */
    public record Report(RunStatus status, String reason, ReasonCode code, Integer exitCode, Long imageSizeBytes, ArrayNode nodeUrls) {}

    /**
     * A node reports progress on run {@code uuid}: only the node the run is on (the key bound to it; for every other
     * key the run does not exist), only legal transitions (409). Repeating the current status writes nothing but the
     * node's URLs; a change re-derives the job's status.
     */
    public RunRow report(Caller caller, UUID uuid, Report report) {
        if (!nodeKeys.actsForRun(caller, uuid)) throw ApiException.notFound("job run");
        RunStatus next = report.status();
        RunRow updated = tx.inTransaction(h -> {
            RunRow run = runs.lockByUuid(h, uuid).orElseThrow(() -> ApiException.notFound("job run"));
            if (!run.status().canMoveTo(next)) {
                throw ApiException.conflict("job run " + uuid + " is " + run.status() + " and cannot become " + next
                        + (run.stopRequested() ? " (it was asked to stop)" : ""));
            }
            Instant now = clock.instant();
            if (run.status() == next) {
                if (report.nodeUrls() != null) runs.update(h, uuid, next, null, null, null, report.nodeUrls(), now, null);
                return runs.byUuid(h, uuid).orElseThrow();
            }
            // The node enforces the run timeout; the server's deadline is a backstop for a silent node.
            Long runDeadline = next != RunStatus.RUNNING ? null
                    : jobs.runTimeoutMs(h, run.jobUuid()).map(timeout -> now.toEpochMilli() + timeout + 1000).orElse(null);
            runs.update(h, uuid, next, report.reason(), report.code(), report.exitCode(), report.nodeUrls(), now, runDeadline);
            if (report.imageSizeBytes() != null) jobs.setImageSize(h, run.jobUuid(), report.imageSizeBytes());
            var verdict = reconciler.reconcile(h, run.jobUuid(), now);
            if (verdict != null && !verdict.retries().isEmpty()) signals.jobsWaiting(h); // a retry wants a node
            return runs.byUuid(h, uuid).orElseThrow();
        });
        followers.wake(uuid); // a follow stream ends promptly when its run does
        if (updated.status().isFinal()) runEnded.run(); // its usage appears promptly, not at the closer's next period
        return updated;
    }

    // --- output -------------------------------------------------------------------------------------------
    // Appended by the run's node (past the run's cap the oldest output is dropped, see LogRetention), read as its
    // last 1 MiB, or followed as it grows.

    /**
     * The last 1 MiB of a run's output: {@code truncated} when it is not everything the run printed. When output was
     * dropped to keep the run under its cap and the text starts where the kept output starts, it begins with a
     * marker line saying how much was dropped. {@code end} is the offset a follower continues from.
     */
    public record Tail(String text, boolean truncated, long end) {}

    public Tail tail(RunRow run) {
        var chunks = tx.withHandle(h -> runs.tail(h, run.uuid(), run.logBytes(), TAIL_BYTES));
        String all = join(chunks);
        String text = lastBytes(all, TAIL_BYTES);
        boolean fromKeptStart = !chunks.isEmpty() && text.length() == all.length() && chunks.getFirst().start() <= run.logStartOffset();
        long dropped = chunks.isEmpty() ? run.logStartOffset() : Math.max(run.logStartOffset(), chunks.getFirst().start());
        boolean truncated = dropped > 0 || text.length() < all.length();
        if (fromKeptStart && dropped > 0) text = LogRetention.droppedMarker(dropped) + text;
        return new Tail(text, truncated, chunks.isEmpty() ? run.logStartOffset() : chunks.getLast().end());
    }

    /**
     * Writes the run's output after offset {@code from} to {@code out} as it arrives, until the run ends (and all it
     * printed was sent) or the follower's client goes away. Waits for a wake-up (see {@link LogFollowers}), never in a
     * polling loop.
     */
    public void follow(UUID run, long from, LogFollowers.Follower follower, OutputStream out) throws IOException, InterruptedException {
        long sent = from;
        while (!follower.isClientGone()) {
            long seen = follower.version();
            var state = tx.withHandle(h -> runs.logState(h, run)).orElseThrow();
            if (state.total() > sent) {
                long next = send(run, sent, out);
                sent = next > sent ? next : state.total(); // nothing left to send past `sent`: never spin on it
                continue;
            }
            if (!state.active()) return; // finished, and everything it printed was sent
            follower.await(seen, LogFollowers.RECHECK_MS);
        }
    }

    /** Sends the chunks after {@code sent} (a marker first when the cap dropped some before they were sent). */
    private long send(UUID run, long sent, OutputStream out) throws IOException {
        long from = sent;
        var chunks = tx.withHandle(h -> runs.after(h, run, from, 1000));
        for (var chunk : chunks) {
            if (chunk.start() > sent) out.write(LogRetention.droppedMarker(chunk.start() - sent).getBytes(StandardCharsets.UTF_8));
            out.write(chunk.text().getBytes(StandardCharsets.UTF_8));
            sent = chunk.end();
        }
        out.flush();
        return sent;
    }

    /**
     * The node appends output to run {@code uuid}: only the node the run is on (else 404); a finished run takes no
     * more (409). NUL characters are dropped (PostgreSQL text cannot hold them).
     */
    public void append(Caller caller, UUID uuid, byte[] body) {
        if (!nodeKeys.actsForRun(caller, uuid)) throw ApiException.notFound("job run");
        String text = new String(body, StandardCharsets.UTF_8).replace("\u0000", "");
        long bytes = text.getBytes(StandardCharsets.UTF_8).length;
        boolean appended = tx.inTransaction(h -> {
            if (bytes == 0) return runs.logState(h, uuid).map(RunRepository.LogState::active).orElse(false);
            var state = runs.appendLog(h, uuid, text, bytes);
            if (state.isEmpty()) return false;
            long target = LogRetention.trimTarget(state.get().start(), state.get().total(), logRetentionBytes);
            if (target > state.get().start()) runs.dropLogBefore(h, uuid, target);
            return true;
        });
        if (!appended) {
            String status = tx.withHandle(h -> runs.byUuid(h, uuid)).map(r -> r.status().name()).orElse("finished");
            throw ApiException.conflict("job run " + uuid + " is " + status + " and takes no more output");
        }
        followers.wake(uuid);
    }

    private static String join(List<RunRepository.LogChunk> chunks) {
        StringBuilder sb = new StringBuilder();
        chunks.forEach(c -> sb.append(c.text()));
        return sb.toString();
    }

    /** The end of {@code text} of at most {@code max} UTF-8 bytes, cut on a character boundary. */
    static String lastBytes(String text, long max) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length <= max) return text;
        int start = (int) (b.length - max);
        while (start < b.length && (b[start] & 0xC0) == 0x80) start++;
        return new String(b, start, b.length - start, StandardCharsets.UTF_8);
    }
}
