package dev.galley.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.lifecycle.ReasonCode;
import dev.galley.core.lifecycle.RunStatus;
import dev.galley.core.list.FilterKind;
import dev.galley.core.list.ListQueryParser;
import dev.galley.core.logs.LogRetention;
import dev.galley.server.auth.Caller;
import dev.galley.server.http.ClientConnection;
import dev.galley.server.nodes.NodeKeys;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.Json;
import dev.galley.server.http.JsonFields;
import dev.galley.server.http.Responses;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** /v1/job-runs: list, get with logs, follow logs (consumers); status updates and log uploads (nodes). */
public final class RunHandlers {
    public static final long LOG_TAIL_BYTES = 1024 * 1024;
    public static final int LOG_CHUNK_LIMIT = 256 * 1024;
    private static final Set<String> RUN_STATUSES = Set.of("ASSIGNED", "PREPARING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED");
    private static final ListQueryParser LIST = new ListQueryParser(
            Map.of("job_uuid", FilterKind.UUID_SET, "node_uuid", FilterKind.UUID_SET, "uuid", FilterKind.UUID_SET,
                    "status", FilterKind.WORD_SET, "created_at", FilterKind.DATE_RANGE),
            Map.of("status", RUN_STATUSES), Set.of());
    private static final ListQueryParser LOGS = new ListQueryParser(Map.of(), Map.of(), Set.of("follow"));
    private static final Set<String> UPDATE_FIELDS = Set.of("status", "status_reason", "status_reason_code", "exit_code",
            "node_urls", "image_size_bytes");

    private final Jdbi jdbi;
    private final RunRepository runs;
    private final JobReconciler reconciler;
    private final dev.galley.server.scheduler.Signals signals;
    private final Clock clock;
    private final NodeKeys nodeKeys;
    private final LogFollowers followers;
    private final long logRetentionBytes;

    public RunHandlers(Jdbi jdbi, RunRepository runs, JobReconciler reconciler, dev.galley.server.scheduler.Signals signals, Clock clock,
                       NodeKeys nodeKeys, LogFollowers followers, long logRetentionBytes) {
        this.nodeKeys = nodeKeys;
        this.followers = followers;
        this.logRetentionBytes = logRetentionBytes;
        this.jdbi = jdbi;
        this.runs = runs;
        this.reconciler = reconciler;
        this.signals = signals;
        this.clock = clock;
    }

    public void list(Context ctx, Caller caller) {
        caller.require("job_runs", "read");
        var q = LIST.parse(ctx.queryParamMap());
        UUID me = caller.canAll("job_runs", "read") ? null : caller.accountUuid();
        // A node agent's key sees, of its account's nodes, only the runs of the node it is bound to.
        var nodeSide = me == null || !NodeKeys.isAgentKey(caller) ? RunRepository.NodeSide.ALL_NODES
                : nodeKeys.agentNode(caller).map(RunRepository.NodeSide::only).orElse(RunRepository.NodeSide.NONE);
        Responses.page(ctx, q, jdbi.withHandle(h -> runs.list(h, me, nodeSide, q)), RunView::of);
    }

    /** The run with the last 1 MiB of its output: reads the tail only, never the whole log. */
    public void get(Context ctx, Caller caller) {
        RunRow run = readable(ctx, caller);
        Tail tail = tail(run);
        Responses.json(ctx, 200, RunView.of(run).put("logs", tail.text()).put("logs_truncated", tail.truncated()));
    }

    /**
     * The last 1 MiB of a run's output: {@code truncated} when it is not everything the run printed. When output was
     * dropped to keep the run under its cap and the text starts where the kept output starts, it begins with a
     * marker line saying how much was dropped.
     */
    private record Tail(String text, boolean truncated, long end) {}

    private Tail tail(RunRow run) {
        var chunks = jdbi.withHandle(h -> runs.tail(h, run.uuid(), run.logBytes(), LOG_TAIL_BYTES));
        String all = join(chunks);
        String text = lastBytes(all, LOG_TAIL_BYTES);
        boolean fromKeptStart = !chunks.isEmpty() && text.length() == all.length() && chunks.getFirst().start() <= run.logStartOffset();
        long dropped = chunks.isEmpty() ? run.logStartOffset() : Math.max(run.logStartOffset(), chunks.getFirst().start());
        boolean truncated = dropped > 0 || text.length() < all.length();
        if (fromKeptStart && dropped > 0) text = LogRetention.droppedMarker(dropped) + text;
        return new Tail(text, truncated, chunks.isEmpty() ? run.logStartOffset() : chunks.getLast().end());
    }

    /**
     * Plain-text logs; {@code follow=true} streams new output until the run ends or the client goes away. A follower
     * waits for a wake-up (see {@link LogFollowers}), not in a polling loop, and ends as soon as its client closes
     * the connection, even while the run is quiet.
     */
    public void logs(Context ctx, Caller caller) throws IOException, InterruptedException {
        RunRow run = readable(ctx, caller);
        LOGS.parse(ctx.queryParamMap());
        String follow = ctx.queryParam("follow");
        if (follow != null && !follow.equals("true") && !follow.equals("false")) throw ApiException.badRequest("follow", "must be true or false");
        if (!"true".equals(follow)) {
            ctx.status(200).contentType("text/plain; charset=utf-8").result(tail(run).text());
            return;
        }
        try (LogFollowers.Follower follower = followers.open(run.uuid(), caller.publicKey())) {
            ctx.status(200).contentType("text/plain; charset=utf-8");
            ctx.header("Cache-Control", "no-cache");
            // The end point is watched for the client's FIN (ClientConnection): the connection ends with the stream.
            ctx.header("Connection", "close");
            ClientConnection.onClientGone(ctx, follower::clientGone);
            OutputStream out = ctx.res().getOutputStream();
            Tail tail = tail(run);
            out.write(tail.text().getBytes(StandardCharsets.UTF_8));
            out.flush();
            stream(run.uuid(), tail.end(), follower, out);
        }
    }

    private void stream(UUID run, long from, LogFollowers.Follower follower, OutputStream out) throws IOException, InterruptedException {
        long sent = from;
        while (!follower.isClientGone()) {
            long seen = follower.version();
            var state = jdbi.withHandle(h -> runs.logState(h, run)).orElseThrow();
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
        var chunks = jdbi.withHandle(h -> runs.after(h, run, from, 1000));
        for (var chunk : chunks) {
            if (chunk.start() > sent) out.write(LogRetention.droppedMarker(chunk.start() - sent).getBytes(StandardCharsets.UTF_8));
            out.write(chunk.text().getBytes(StandardCharsets.UTF_8));
            sent = chunk.end();
        }
        out.flush();
        return sent;
    }

    /** PATCH /v1/job-runs/{uuid}: a node reports progress; only legal transitions are accepted. */
    public void update(Context ctx, Caller caller) {
        caller.require("job_runs", "update");
        UUID uuid = Responses.pathUuid(ctx, "job run");
        var f = new JsonFields(Json.parseObject(ctx.bodyAsBytes(), false), UPDATE_FIELDS);
        String statusText = f.string("status", true, 1, 20);
        RunStatus status = null;
        if (statusText != null) {
            try {
                status = RunStatus.valueOf(statusText);
            } catch (IllegalArgumentException e) {
                f.errors().add("status", "must be one of " + String.join(", ", RUN_STATUSES));
            }
        }
        String reason = f.string("status_reason", false, 0, 4000);
        String codeText = f.string("status_reason_code", false, 1, 40);
        if (codeText != null) {
            try {
                ReasonCode.valueOf(codeText);
            } catch (IllegalArgumentException e) {
                f.errors().add("status_reason_code", "is not a known reason code");
            }
        }
        Integer exitCode = integer(f, "exit_code", Integer.MIN_VALUE, Integer.MAX_VALUE);
        JsonNode rawSize = f.raw("image_size_bytes");
        Long imageBytes = rawSize == null || rawSize.isNull() ? null : rawSize.canConvertToLong() && rawSize.isIntegralNumber() && rawSize.asLong() >= 0 ? rawSize.asLong() : -1L;
        if (imageBytes != null && imageBytes < 0) f.errors().add("image_size_bytes", "must be a whole number >= 0");
        ArrayNode urls = nodeUrls(f);
        f.finish();
        RunStatus next = status;
        String code = codeText;
        if (next == RunStatus.FAILED && code == null && exitCode != null && exitCode != 0) code = ReasonCode.EXIT_NONZERO.name();
        String finalCode = code;
        // Only the node the run is on (the key bound to it) may report on it; for every other key it does not exist.
        if (!nodeKeys.actsForRun(caller, uuid)) throw ApiException.notFound("job run");
        RunRow updated = jdbi.inTransaction(h -> {
            RunRow run = runs.lockByUuid(h, uuid).orElseThrow(() -> ApiException.notFound("job run"));
            RunStatus current = RunStatus.valueOf(run.status());
            if (!current.canMoveTo(next)) {
                throw ApiException.conflict("job run " + uuid + " is " + current + " and cannot become " + next
                        + (run.stopRequested() ? " (it was asked to stop)" : ""));
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            if (current == next) {
                if (urls != null) runs.update(h, uuid, next.name(), null, null, null, urls, now, null);
                return runs.byUuid(h, uuid).orElseThrow();
            }
            Long runDeadline = null;
            if (next == RunStatus.RUNNING) {
                var timeout = h.createQuery("SELECT (spec->>'max_timeout_run_ms')::bigint FROM jobs WHERE uuid = :j")
                        .bind("j", run.jobUuid()).mapTo(Long.class).findOne().orElse(null);
                // The node enforces the run timeout; the server's deadline is a backstop for a silent node.
                if (timeout != null) runDeadline = now.toEpochMilli() + timeout + 1000;
            }
            runs.update(h, uuid, next.name(), reason, finalCode, exitCode, urls, now, runDeadline);
            if (imageBytes != null) {
                h.createUpdate("UPDATE jobs SET image_size_bytes = :b WHERE uuid = :j").bind("b", imageBytes).bind("j", run.jobUuid()).execute();
            }
            var verdict = reconciler.reconcile(h, run.jobUuid(), now);
            if (verdict != null && !verdict.retries().isEmpty()) signals.jobsWaiting(h); // a retry wants a node
            return runs.byUuid(h, uuid).orElseThrow();
        });
        followers.wake(uuid); // a follow stream ends promptly when its run does
        Responses.json(ctx, 200, RunView.of(updated));
    }

    /**
     * POST /v1/job-runs/{uuid}/logs: the node appends output (text, at most 256 KiB a call). Only the node the run is
     * on; a finished run takes no more (409). Past the run's cap the oldest output is dropped (see LogRetention).
     */
    public void appendLogs(Context ctx, Caller caller) {
        caller.require("job_runs", "update");
        UUID uuid = Responses.pathUuid(ctx, "job run");
        byte[] body = ctx.bodyAsBytes();
        if (body.length > LOG_CHUNK_LIMIT) throw ApiException.payloadTooLarge("a log chunk may be at most 256 KiB; send it in several calls");
        if (!nodeKeys.actsForRun(caller, uuid)) throw ApiException.notFound("job run");
        String text = new String(body, StandardCharsets.UTF_8).replace("\u0000", "");
        long bytes = text.getBytes(StandardCharsets.UTF_8).length;
        boolean appended = jdbi.inTransaction(h -> {
            if (bytes == 0) return runs.logState(h, uuid).map(RunRepository.LogState::active).orElse(false);
            var state = runs.appendLog(h, uuid, text, bytes);
            if (state.isEmpty()) return false;
            long target = LogRetention.trimTarget(state.get().start(), state.get().total(), logRetentionBytes);
            if (target > state.get().start()) runs.dropLogBefore(h, uuid, target);
            return true;
        });
        if (!appended) {
            String status = jdbi.withHandle(h -> runs.byUuid(h, uuid)).map(RunRow::status).orElse("finished");
            throw ApiException.conflict("job run " + uuid + " is " + status + " and takes no more output");
        }
        followers.wake(uuid);
        ctx.status(204);
    }

    private RunRow readable(Context ctx, Caller caller) {
        caller.require("job_runs", "read");
        UUID uuid = Responses.pathUuid(ctx, "job run");
        RunRow run = jdbi.withHandle(h -> runs.byUuid(h, uuid)).orElseThrow(() -> ApiException.notFound("job run"));
        boolean ok = caller.owns(run.accountUuid()) || caller.canAll("job_runs", "read")
                || (caller.owns(run.nodeAccountUuid()) && seesNodeSide(caller, run.nodeUuid()));
        if (!ok) throw ApiException.notFound("job run");
        return run;
    }

    /** Runs on its account's nodes: a node agent's key sees those of its own node only, other keys all of them. */
    private boolean seesNodeSide(Caller caller, UUID node) {
        return !NodeKeys.isAgentKey(caller) || nodeKeys.agentNode(caller).filter(node::equals).isPresent();
    }

    private static Integer integer(JsonFields f, String name, long min, long max) {
        JsonNode n = f.raw(name);
        if (n == null || n.isNull()) return null;
        if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            f.errors().add(name, "must be a whole number");
            return null;
        }
        return n.asInt();
    }

    private static ArrayNode nodeUrls(JsonFields f) {
        JsonNode n = f.raw("node_urls");
        if (n == null || n.isNull()) return null;
        if (!n.isArray() || n.size() > 64) {
            f.errors().add("node_urls", "must be an array of at most 64 {description, hostname, port, protocol, tls}");
            return null;
        }
        ArrayNode out = Json.array();
        for (int i = 0; i < n.size(); i++) {
            JsonNode u = n.get(i);
            String p = "node_urls[" + i + "]";
            if (!u.isObject()) { f.errors().add(p, "must be an object"); continue; }
            u.fieldNames().forEachRemaining(k -> { if (!Set.of("description", "hostname", "port", "protocol", "tls").contains(k)) f.errors().add(p + "." + k, "is not a known field"); });
            for (String s : List.of("description", "hostname", "protocol")) {
                if (!u.path(s).isTextual() || u.path(s).asText().isEmpty() || u.path(s).asText().length() > 255) f.errors().add(p + "." + s, "must be a non-empty string");
            }
            if (!u.path("port").isIntegralNumber() || u.path("port").asInt() < 1 || u.path("port").asInt() > 65535) f.errors().add(p + ".port", "must be an integer 1..65535");
            if (u.has("tls") && !u.get("tls").isBoolean()) f.errors().add(p + ".tls", "must be true or false");
            out.addObject().put("description", u.path("description").asText()).put("hostname", u.path("hostname").asText())
                    .put("port", u.path("port").asInt()).put("protocol", u.path("protocol").asText()).put("tls", u.path("tls").asBoolean(false));
        }
        return out;
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
